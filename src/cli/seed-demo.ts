import { and, eq } from 'drizzle-orm';
import type { Services, Actor } from '../app/context';
import { createApiToken, createUser, createWorkspace } from '../app/auth';
import { ingestInbound } from '../app/ingest-inbound';
import { sendReply } from '../app/send-reply';
import { assignConversation, changeStatus, setLabels, setPriority } from '../app/conversations';
import { inboxes, inboxMembers, labels, memberships, messages, teamMembers, teams, users } from '../store/schema';
import type { IdentityInput } from '../app/resolve-contact';
import { uuidv7 } from '../shared/runtime';

/**
 * A Dutch demo workspace: an internet provider's service desk with real-looking customers writing by e-mail,
 * WhatsApp, chat, SMS and the API, so a new user sees a living product instead of an empty screen.
 */
interface Script {
  contact: { name: string; identities: IdentityInput[] };
  inbox: 'email' | 'whatsapp' | 'widget' | 'sms' | 'api';
  subject?: string;
  hoursAgo: number;
  turns: { from: 'customer' | 'agent' | 'note'; text: string; agent?: number; after?: number }[];
  status?: 'open' | 'pending' | 'resolved' | 'snoozed';
  labels?: string[];
  priority?: 'low' | 'medium' | 'high' | 'urgent';
  assign?: number | null;
}

const scripts: Script[] = [
  {
    contact: { name: 'Sanne de Vries', identities: [{ kind: 'email', value: 'sanne.devries@example.nl' }] },
    inbox: 'email',
    subject: 'Internet valt steeds weg sinds vrijdag',
    hoursAgo: 3,
    turns: [
      { from: 'customer', text: 'Hallo,\n\nSinds vrijdag valt mijn internet om de paar uur weg. Het lampje van het modem knippert dan oranje. Ik werk thuis, dus dit is echt een probleem. Kunnen jullie kijken wat er aan de hand is?\n\nGroet,\nSanne' },
      { from: 'note', text: 'Lijnmeting laat ruis zien op de koperlijn vanaf de wijkkast. Monteur inplannen?', agent: 1, after: 20 },
    ],
    labels: ['storing'],
    priority: 'high',
    assign: 1,
  },
  {
    contact: { name: 'Mohammed El Amrani', identities: [{ kind: 'phone', value: '+31612345678' }] },
    inbox: 'whatsapp',
    hoursAgo: 1,
    turns: [
      { from: 'customer', text: 'Goedemiddag, ik verhuis 1 april naar Utrecht. Kan ik mijn abonnement meenemen?' },
      { from: 'agent', text: 'Hoi Mohammed, dat kan. Stuur je het nieuwe adres met postcode en huisnummer? Dan kijk ik meteen welke snelheid daar beschikbaar is.', agent: 2, after: 6 },
      { from: 'customer', text: 'Biltstraat 112, 3572 BJ Utrecht', after: 9 },
    ],
    labels: ['verhuizing'],
    assign: 2,
  },
  {
    contact: { name: 'Ingrid Bakker', identities: [{ kind: 'email', value: 'i.bakker@example.org' }] },
    inbox: 'email',
    subject: 'Factuur maart te hoog',
    hoursAgo: 28,
    turns: [
      { from: 'customer', text: 'Beste klantenservice,\n\nOp mijn factuur van maart staat € 89,95 terwijl mijn abonnement € 49,95 kost. Er staat een post "eenmalige kosten" op die ik niet herken. Graag uitleg.\n\nMet vriendelijke groet,\nIngrid Bakker' },
      { from: 'agent', text: 'Beste mevrouw Bakker,\n\nDe € 40,00 is de aansluitkosten voor de tweede tv-ontvanger die op 3 maart is geleverd. Klopt het dat u die heeft besteld? Zo niet, dan crediteer ik het bedrag vandaag nog en ziet u het terug op de factuur van april.\n\nGroet,\nLotte', agent: 1, after: 90 },
    ],
    status: 'pending',
    labels: ['factuur'],
    assign: 1,
  },
  {
    contact: { name: 'Pieter Janssen', identities: [{ kind: 'widget', value: 'visitor-7f3a' }, { kind: 'email', value: 'pieter.janssen@example.nl' }] },
    inbox: 'widget',
    hoursAgo: 0.3,
    turns: [{ from: 'customer', text: 'Hoe lang duurt het voordat glasvezel in de Vogelwijk wordt aangelegd?' }],
    labels: ['glasvezel'],
    assign: null,
  },
  {
    contact: { name: 'Fatma Yilmaz', identities: [{ kind: 'phone', value: '+31687654321' }] },
    inbox: 'sms',
    hoursAgo: 50,
    turns: [
      { from: 'customer', text: 'Mijn monteursafspraak van morgen kan niet doorgaan. Kan het donderdag?' },
      { from: 'agent', text: 'Hoi Fatma, donderdag tussen 8:00 en 12:00 staat voor je genoteerd. De monteur belt een half uur van tevoren.', agent: 2, after: 15 },
      { from: 'customer', text: 'Top, dank je!', after: 20 },
    ],
    status: 'resolved',
    labels: ['monteur'],
    assign: 2,
  },
  {
    contact: { name: 'Kees van Dijk', identities: [{ kind: 'email', value: 'kees@vandijk-bouw.example' }] },
    inbox: 'email',
    subject: 'Zakelijk abonnement: vaste IP-adressen',
    hoursAgo: 6,
    turns: [
      { from: 'customer', text: 'Goedemorgen,\n\nVoor ons kantoor (12 werkplekken) zoeken we een zakelijk abonnement met minimaal 4 vaste IP-adressen en een SLA met herstel binnen 4 uur. Wat kunnen jullie bieden?\n\nKees van Dijk\nVan Dijk Bouw' },
    ],
    labels: ['zakelijk'],
    priority: 'medium',
    assign: null,
  },
  {
    contact: { name: 'Emma Visser', identities: [{ kind: 'phone', value: '+31655501234' }] },
    inbox: 'whatsapp',
    hoursAgo: 0.1,
    turns: [
      { from: 'customer', text: 'Ik heb nu al drie keer gebeld en twee keer gemaild over mijn router die niet werkt. Niemand belt terug!! 😡' },
    ],
    labels: ['storing'],
    priority: 'urgent',
    assign: null,
  },
  {
    contact: { name: 'Daan Smit', identities: [{ kind: 'external', value: 'crm-10442' }, { kind: 'email', value: 'daan.smit@example.com' }] },
    inbox: 'api',
    hoursAgo: 72,
    turns: [
      { from: 'customer', text: 'Opzegging ontvangen via webformulier: klant verhuist naar het buitenland per 1 mei.' },
      { from: 'note', text: 'Opzegging verwerkt, einddatum 30 april. Retourlabel modem verstuurd.', agent: 3, after: 120 },
    ],
    status: 'resolved',
    labels: ['opzegging'],
    assign: 3,
  },
  {
    contact: { name: 'Lisa Mulder', identities: [{ kind: 'email', value: 'lisa.mulder@example.nl' }] },
    inbox: 'email',
    subject: 'Re: Uw monteursbezoek',
    hoursAgo: 20,
    turns: [
      { from: 'customer', text: 'De monteur is geweest maar de tv-ontvanger in de slaapkamer geeft nog steeds "geen signaal".' },
      { from: 'agent', text: 'Vervelend dat het nog niet werkt, Lisa. Ik zet de ontvanger op afstand opnieuw aan; over tien minuten zou hij beeld moeten geven. Laat je het weten als dat niet zo is?', agent: 3, after: 45 },
    ],
    status: 'snoozed',
    labels: ['tv'],
    assign: 3,
  },
  {
    contact: { name: 'Thomas de Boer', identities: [{ kind: 'phone', value: '+31611122233' }] },
    inbox: 'sms',
    hoursAgo: 4,
    turns: [{ from: 'customer', text: 'Wanneer is de storing in 2564 opgelost? Al sinds vanochtend geen internet.' }],
    labels: ['storing'],
    priority: 'high',
    assign: 1,
  },
  {
    contact: { name: 'Noor Hendriks', identities: [{ kind: 'widget', value: 'visitor-91bc' }] },
    inbox: 'widget',
    hoursAgo: 10,
    turns: [
      { from: 'customer', text: 'Kan ik mijn wifi-naam zelf veranderen?' },
      { from: 'agent', text: 'Ja! Ga in de app naar Wifi → Instellingen → Netwerknaam. Na opslaan herstart het modem één keer (ongeveer 2 minuten).', agent: 2, after: 3 },
    ],
    status: 'resolved',
    labels: ['wifi'],
    assign: 2,
  },
  {
    contact: { name: 'Sanne de Vries', identities: [{ kind: 'phone', value: '+31699988877' }, { kind: 'email', value: 'sanne.devries@example.nl' }] },
    inbox: 'whatsapp',
    hoursAgo: 0.5,
    turns: [{ from: 'customer', text: 'Ik had gemaild over mijn internet, is er al nieuws? Het ging net wéér mis.' }],
    labels: ['storing'],
    assign: 1,
  },
];

export async function seedDemo(services: Services) {
  let clock = Date.now();
  const runtime = { now: () => new Date(clock), id: () => uuidv7(clock), random: Math.random };
  const deps: Services = { ...services, runtime };
  const at = (hoursAgo: number) => {
    clock = Date.now() - hoursAgo * 3600_000;
  };
  at(24 * 30);

  const password = 'demo-wachtwoord';
  const { workspaceId, agentIds, apiToken } = await deps.store.transaction(async (tx) => {
    const ws = await createWorkspace(tx, deps, { name: 'Glasnet Klantenservice (demo)', locale: 'nl' });
    const people = [
      { email: 'demo@balie.test', name: 'Demo Beheerder', role: 'owner' as const },
      { email: 'lotte@balie.test', name: 'Lotte Willems', role: 'agent' as const },
      { email: 'jeroen@balie.test', name: 'Jeroen Kok', role: 'agent' as const },
      { email: 'aisha@balie.test', name: 'Aisha Haddou', role: 'admin' as const },
    ];
    const ids: string[] = [];
    for (const p of people) {
      const [existing] = await tx.select().from(users).where(eq(users.email, p.email));
      const user = existing ?? (await createUser(tx, deps, { email: p.email, name: p.name, password, locale: 'nl' }));
      await tx.insert(memberships).values({ workspaceId: ws.id, userId: user.id, role: p.role, lastSeenAt: new Date() }).onConflictDoNothing();
      ids.push(user.id);
    }
    const teamId = deps.runtime.id();
    await tx.insert(teams).values({ workspaceId: ws.id, id: teamId, name: 'Storingen', description: 'Technische storingen en monteursafspraken' });
    await tx.insert(teamMembers).values([ids[1]!, ids[3]!].map((userId) => ({ workspaceId: ws.id, teamId, userId })));
    const labelColors: Record<string, string> = {
      storing: '#dc2626', verhuizing: '#2563eb', factuur: '#ca8a04', glasvezel: '#7c3aed', monteur: '#0891b2',
      zakelijk: '#0f766e', opzegging: '#64748b', tv: '#db2777', wifi: '#16a34a',
    };
    await tx.insert(labels).values(Object.entries(labelColors).map(([name, color]) => ({ workspaceId: ws.id, id: deps.runtime.id(), name, color })));
    const { token } = await createApiToken(tx, deps, { workspaceId: ws.id, userId: ids[0]!, name: 'Demo' });
    return { workspaceId: ws.id, agentIds: ids, apiToken: token };
  });

  const inboxIds: Record<Script['inbox'], string> = { email: '', whatsapp: '', widget: '', sms: '', api: '' };
  const inboxNames: Record<Script['inbox'], string> = {
    email: 'E-mail klantenservice',
    whatsapp: 'WhatsApp',
    widget: 'Chat op glasnet.example',
    sms: 'SMS',
    api: 'Webformulieren (API)',
  };
  const inboxSettings: Record<Script['inbox'], Record<string, unknown>> = {
    email: { address: 'klantenservice@glasnet.example' },
    whatsapp: { phoneNumberId: '100200300' },
    widget: { allowedOrigins: ['https://glasnet.example'] },
    sms: { phoneNumber: '+3197010203040' },
    api: {},
  };
  for (const kind of Object.keys(inboxIds) as Script['inbox'][]) {
    const id = deps.runtime.id();
    // Inserted directly: the demo shows every channel even before its adapter is configured with real accounts.
    await deps.store.db.insert(inboxes).values({ workspaceId, id, name: inboxNames[kind], kind, settings: inboxSettings[kind] });
    await deps.store.db.insert(inboxMembers).values(agentIds.slice(1).map((userId) => ({ workspaceId, inboxId: id, userId })));
    inboxIds[kind] = id;
  }

  const actorOf = (i: number): Actor => ({ workspaceId, userId: agentIds[i]!, role: i === 0 ? 'owner' : i === 3 ? 'admin' : 'agent' });
  let conversations = 0;
  const ordered = [...scripts].sort((a, b) => b.hoursAgo - a.hoursAgo);
  for (const s of ordered) {
    at(s.hoursAgo);
    let conversationId = '';
    let minutes = 0;
    for (const turn of s.turns) {
      minutes += turn.after ?? 0;
      clock = Date.now() - s.hoursAgo * 3600_000 + minutes * 60_000;
      if (turn.from === 'customer') {
        const r = await ingestInbound(deps, {
          workspaceId,
          inboxId: inboxIds[s.inbox],
          externalId: `demo-${deps.runtime.id()}`,
          contact: s.contact,
          content: turn.text,
          subject: s.subject,
        });
        if (r.conversationCreated) conversations++;
        conversationId = r.conversationId;
      } else {
        const msg = await sendReply(deps, actorOf(turn.agent ?? 1), conversationId, { kind: turn.from === 'note' ? 'note' : 'message', content: turn.text });
        // Demo replies are not sent to real customers: mark them as delivered.
        if (turn.from === 'agent') {
          await deps.store.db.update(messages).set({ status: 'delivered', statusReason: null }).where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, msg.id)));
        }
      }
    }
    const admin = actorOf(0);
    if (s.labels) await setLabels(deps, admin, workspaceId, conversationId, s.labels);
    if (s.priority) await setPriority(deps, admin, workspaceId, conversationId, s.priority);
    if (s.assign) await assignConversation(deps, admin, workspaceId, conversationId, { assigneeId: agentIds[s.assign]! });
    if (s.status === 'snoozed') await changeStatus(deps, actorOf(s.assign ?? 1), workspaceId, conversationId, 'snoozed', new Date(Date.now() + 20 * 3600_000));
    else if (s.status && s.status !== 'open') await changeStatus(deps, actorOf(s.assign ?? 1), workspaceId, conversationId, s.status);
  }
  // Demo messages must not be delivered by the job workers to providers that do not exist.
  await deps.store.db.update(messages).set({ status: 'delivered', statusReason: null }).where(and(eq(messages.workspaceId, workspaceId), eq(messages.status, 'queued')));

  return { workspaceName: 'Glasnet Klantenservice (demo)', conversations, contacts: new Set(scripts.map((s) => s.contact.name)).size, email: 'demo@balie.test', password, apiToken };
}
