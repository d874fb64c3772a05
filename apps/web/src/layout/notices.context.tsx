import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

type Tone = 'info' | 'success' | 'error';
interface Notice {
  id: number;
  text: string;
  tone: Tone;
}

const NoticesContext = createContext<(text: string, tone?: Tone) => void>(() => undefined);
let nextId = 1;

/** Calm, non-blocking notices in a live region; each fades after a few seconds or on dismiss. */
export function NoticesProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const dismiss = useCallback((id: number) => setNotices((all) => all.filter((notice) => notice.id !== id)), []);
  const notify = useCallback(
    (text: string, tone: Tone = 'info') => {
      const id = nextId++;
      setNotices((all) => [...all.slice(-2), { id, text, tone }]);
      setTimeout(() => dismiss(id), tone === 'error' ? 10_000 : 6_000);
    },
    [dismiss],
  );
  const value = useMemo(() => notify, [notify]);
  return (
    <NoticesContext.Provider value={value}>
      {children}
      <div className="notices" role="status" aria-live="polite">
        {notices.map((notice) => (
          <div key={notice.id} className={`notice ${notice.tone}`}>
            <span>{notice.text}</span>
            <button type="button" className="icon" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </NoticesContext.Provider>
  );
}

export const useNotify = () => useContext(NoticesContext);
