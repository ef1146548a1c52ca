import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

/**
 * A button that opens a small panel (menus, pickers). Escape and a click outside close it and focus returns to
 * the button; arrow keys move between the panel's items ([role=menuitem], [role=option], buttons).
 */
export function Popover({
  label,
  button,
  children,
  open: controlledOpen,
  onOpenChange,
  align = 'start',
  className,
  buttonClassName = 'btn',
  title,
  disabled,
}: {
  label: string;
  button: ReactNode;
  children: ReactNode | ((close: () => void) => ReactNode);
  open?: boolean;
  onOpenChange?(open: boolean): void;
  align?: 'start' | 'end';
  className?: string;
  buttonClassName?: string;
  title?: string;
  disabled?: boolean;
}) {
  const [ownOpen, setOwnOpen] = useState(false);
  const open = controlledOpen ?? ownOpen;
  const setOpen = (v: boolean) => {
    setOwnOpen(v);
    onOpenChange?.(v);
  };
  const wrap = useRef<HTMLDivElement>(null);
  const btn = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const id = useId();

  // Focus the first field or item as soon as the panel exists (in the same commit: keys typed right after the
  // shortcut that opened it must land in the panel, not trigger other shortcuts).
  useLayoutEffect(() => {
    if (!open) return;
    const first = panel.current?.querySelector<HTMLElement>('input, textarea, [role=menuitem], [role=option], [role=menuitemradio], [role=menuitemcheckbox], button, select');
    first?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    btn.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const items = [...(panel.current?.querySelectorAll<HTMLElement>('[role=menuitem], [role=option], [role=menuitemcheckbox], [role=menuitemradio], [data-nav]') ?? [])];
    if (!items.length) return;
    e.preventDefault();
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = e.key === 'ArrowDown' ? (at + 1) % items.length : (at - 1 + items.length) % items.length;
    items[next]!.focus();
  };

  return (
    <div className={`popover-wrap${className ? ` ${className}` : ''}`} ref={wrap}>
      <button
        ref={btn}
        type="button"
        className={buttonClassName}
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={label}
        title={title ?? label}
        disabled={disabled}
        onClick={() => setOpen(!open)}
      >
        {button}
      </button>
      {open ? (
        <div ref={panel} id={id} className={`popover popover-${align}`} onKeyDown={onKeyDown}>
          {typeof children === 'function' ? children(close) : children}
        </div>
      ) : null}
    </div>
  );
}
