import type { LayoutField } from './task-layout.values';
import { shownValue } from './task-layout.values';

/**
 * A payload shown through its type's display layout, in the layout's order. Labels and values
 * are React text children only (escaped by React); links and pictures only for http(s).
 */
export function TaskLayout({ layout, payload }: { layout: LayoutField[]; payload: unknown }) {
  return (
    <dl className="payload-fields task-layout">
      {layout.map((line, index) => {
        const shown = shownValue(line, payload);
        return (
          <div key={`${index}:${line.field}`} className="payload-field">
            <dt>{line.label}</dt>
            <dd>
              {shown.kind === 'none' ? (
                <span className="muted">none</span>
              ) : shown.kind === 'link' ? (
                <a href={shown.href} target="_blank" rel="noopener noreferrer nofollow" className="payload-text">
                  {shown.text}
                </a>
              ) : shown.kind === 'image' ? (
                <img
                  src={shown.src}
                  alt={shown.alt}
                  className="task-layout-image"
                  loading="lazy"
                  referrerPolicy="no-referrer"
                />
              ) : shown.kind === 'list' ? (
                <ul className="payload-list">
                  {shown.items.map((item, position) => (
                    <li key={position}>{item}</li>
                  ))}
                </ul>
              ) : (
                <span className="payload-text">{shown.text}</span>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
