import { type FormEvent, useEffect, useRef, useState } from 'react';

const choices = ['done', 'accepted', 'rejected'];

/** Asks how a task was resolved before it is completed from the board. */
export function ResolutionDialog({ title, onResolve, onClose }: { title: string; onResolve(resolution: string, note: string): void; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [resolution, setResolution] = useState('done');
  const [note, setNote] = useState('');
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onResolve(resolution.trim(), note.trim());
  };
  return (
    <dialog ref={dialog} className="dialog" onClose={onClose} aria-labelledby="resolve-title">
      <form onSubmit={submit} className="stack">
        <h2 id="resolve-title">Complete “{title}”</h2>
        <label>
          Resolution
          <input list="resolutions" required maxLength={100} value={resolution} onChange={(event) => setResolution(event.target.value)} />
          <datalist id="resolutions">
            {choices.map((choice) => (
              <option key={choice} value={choice} />
            ))}
          </datalist>
        </label>
        <label>
          Note (optional)
          <textarea maxLength={2000} value={note} onChange={(event) => setNote(event.target.value)} />
        </label>
        <div className="row">
          <button type="submit" className="button primary">
            Complete
          </button>
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
