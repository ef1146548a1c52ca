/**
 * The two ways the app gets an agent's attention when something is for them: a short, soft chime (made with
 * Web Audio, no sound file to download) and a browser notification when the tab is not in front.
 */
let audio: AudioContext | null = null;

export function playChime() {
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    if (ctx.state === 'suspended') void ctx.resume();
    const now = ctx.currentTime;
    for (const [i, freq] of [880, 1174.66].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const start = now + i * 0.14;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.18, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.45);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.5);
    }
    chimeCount++;
  } catch {
    /* no audio device: the visual notification still shows */
  }
}

/** How many chimes played (the browser tests read it; audio itself cannot be observed headless). */
let chimeCount = 0;
export const chimesPlayed = () => chimeCount;

export const browserNotificationsSupported = () => typeof window !== 'undefined' && 'Notification' in window;

export async function requestBrowserPermission(): Promise<NotificationPermission> {
  if (!browserNotificationsSupported()) return 'denied';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

export function showBrowserNotification(title: string, body: string, tag: string, onClick: () => void) {
  if (!browserNotificationsSupported() || Notification.permission !== 'granted') return;
  if (document.visibilityState === 'visible' && document.hasFocus()) return;
  try {
    const n = new Notification(title, { body, tag, icon: '/favicon.ico' });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch {
    /* some platforms only allow notifications from a service worker */
  }
}

declare global {
  interface Window {
    __balieChimes?: () => number;
  }
}
if (typeof window !== 'undefined') window.__balieChimes = chimesPlayed;
