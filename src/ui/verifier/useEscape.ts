/** Esc clears the def marks, wherever the focus is (the marks span the log, instruction and state views). */
import { useEffect } from 'react';

export function useEscapeClears(active: boolean, onClear: (() => void) | undefined): void {
  useEffect(() => {
    if (!active || !onClear) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) onClear();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [active, onClear]);
}
