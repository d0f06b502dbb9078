const SELECT = "rounded-md border border-line-strong bg-bg px-2 py-1";

/** One choice of a `LabeledSelect`; `title` shows the full text of a name the select may cut short. */
export type SelectOption = { value: string | number; label: string; title?: string };

/**
 * A filter-bar select with its muted label in front. The select's accessible name is `ariaLabel`
 * (default: `label`), so tests and screen readers can find it when the visible label is shorter.
 * `className` adds to the select's own classes (a width such as `max-w-56`).
 */
export function LabeledSelect({ label, ariaLabel = label, value, options, onChange, title, className }: {
  label: string;
  ariaLabel?: string;
  value: string | number;
  options: readonly SelectOption[];
  onChange: (value: string) => void;
  title?: string;
  className?: string;
}) {
  return (
    <label className="flex items-center gap-1.5">
      <span className="text-muted">{label}</span>
      <select aria-label={ariaLabel} value={value} title={title} onChange={(e) => onChange(e.target.value)} className={className ? `${className} ${SELECT}` : SELECT}>
        {options.map((option) => (
          <option key={option.value} value={option.value} title={option.title}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** "All …" (value "") then the names sorted, each with its full text as a title. */
export function nameOptions(allLabel: string, names: Iterable<string>): SelectOption[] {
  return [{ value: "", label: allLabel }, ...[...names].sort().map((name) => ({ value: name, label: name, title: name }))];
}
