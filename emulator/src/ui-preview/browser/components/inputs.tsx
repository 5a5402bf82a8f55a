// Form components: Toggle, Select and MultiSelect. Each one's props are HubSpot's own prop type. Values go
// back through `onChange` with HubSpot's value types (a boolean; the options' own values).
import { useId, useState, type FC } from 'react';
import type { MultiSelectProps, SelectProps, ToggleProps } from '@hubspot/ui-extensions';
import { cx, shortSize, testIdAttr } from './shared.js';

/** HubSpot's Toggle: a switch with its label inline, on top or hidden; read-only blocks changes. */
export const Toggle: FC<ToggleProps> = ({ testId, checked, readonly, readOnly, name, size = 'md', onChange, initialIsChecked, label, labelDisplay = 'inline', textChecked, textUnchecked }) => {
  const id = useId();
  const [own, setOwn] = useState(initialIsChecked === true);
  const on = checked ?? own;
  const locked = readonly === true || readOnly === true;
  const stateText = on ? textChecked : textUnchecked;
  return (
    <div {...testIdAttr(testId)} className={cx('hs-toggle', `hs-toggle--label-${labelDisplay}`, `hs-toggle--${size === 'default' ? 'md' : shortSize(size, 'md')}`)}>
      <button
        id={id}
        type="button"
        role="switch"
        name={name}
        aria-checked={on}
        aria-readonly={locked || undefined}
        aria-label={labelDisplay === 'hidden' ? label : undefined}
        className={cx('hs-toggle__switch', on && 'hs-toggle__switch--on', locked && 'hs-toggle__switch--readonly')}
        onClick={() => {
          if (locked) return;
          if (checked === undefined) setOwn(!on);
          onChange?.(!on);
        }}
      >
        <span className="hs-toggle__knob" aria-hidden="true" />
      </button>
      {stateText ? <span className="hs-toggle__state">{stateText}</span> : null}
      {labelDisplay === 'hidden' ? null : (
        <label htmlFor={id} className="hs-toggle__label">
          {label}
        </label>
      )}
    </div>
  );
};

/** HubSpot's MultiSelect: the chosen options as removable tags, and a list to add more from. */
export const MultiSelect: FC<MultiSelectProps> = ({ testId, label, name, required, readOnly, description, tooltip, placeholder, error, validationMessage, value, onChange, options }) => {
  const id = useId();
  const [own, setOwn] = useState<NonNullable<MultiSelectProps['value']>>([]);
  const chosen = value ?? own;
  const set = (next: NonNullable<MultiSelectProps['value']>) => {
    if (value === undefined) setOwn(next);
    onChange?.(next);
  };
  const remaining = options.filter((option) => !chosen.includes(option.value));
  return (
    <div {...testIdAttr(testId)} className={cx('hs-field', error && 'hs-field--error')}>
      <FieldHead id={id} label={label} required={required} tooltip={tooltip} description={description} />
      <div className="hs-multiselect">
        {chosen.length === 0 ? <span className="hs-multiselect__placeholder">{placeholder ?? 'Select…'}</span> : null}
        {chosen.map((v) => (
          <span key={String(v)} className="hs-multiselect__tag">
            {options.find((option) => option.value === v)?.label ?? String(v)}
            {readOnly ? null : (
              <button type="button" className="hs-multiselect__remove" aria-label={`Remove ${String(v)}`} onClick={() => set(chosen.filter((c) => c !== v))}>
                ×
              </button>
            )}
          </span>
        ))}
      </div>
      <select
        id={id}
        name={name}
        className="hs-multiselect__add"
        disabled={readOnly === true || remaining.length === 0}
        value=""
        onChange={(event) => {
          const picked = remaining.find((option) => String(option.value) === event.target.value);
          if (picked) set([...chosen, picked.value]);
        }}
      >
        <option value="">{remaining.length === 0 ? 'No more options' : 'Add…'}</option>
        {remaining.map((option) => (
          <option key={String(option.value)} value={String(option.value)}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldMessage error={error} validationMessage={validationMessage} />
    </div>
  );
};

/** HubSpot's Select: one option of a list (a native select), its placeholder shown while none is chosen. */
export const Select: FC<SelectProps> = ({ testId, label, name, required, readOnly, description, tooltip, placeholder, error, validationMessage, value, onChange, options }) => {
  const id = useId();
  const [own, setOwn] = useState<SelectProps['value']>(undefined);
  const chosen = value ?? own;
  return (
    <div {...testIdAttr(testId)} className={cx('hs-field', error && 'hs-field--error')}>
      <FieldHead id={id} label={label} required={required} tooltip={tooltip} description={description} />
      <select
        id={id}
        name={name}
        className="hs-select"
        disabled={readOnly === true}
        value={chosen === undefined ? '' : String(chosen)}
        onChange={(event) => {
          const picked = options.find((option) => String(option.value) === event.target.value);
          if (!picked) return;
          if (value === undefined) setOwn(picked.value);
          onChange?.(picked.value);
        }}
      >
        {chosen === undefined ? <option value="">{placeholder ?? 'Select…'}</option> : null}
        {options.map((option) => (
          <option key={String(option.value)} value={String(option.value)}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldMessage error={error} validationMessage={validationMessage} />
    </div>
  );
};

/** A select field's label (with the required mark and tooltip) and description. */
function FieldHead({ id, label, required, tooltip, description }: { id: string; label?: string; required?: boolean; tooltip?: string; description?: string }) {
  return (
    <>
      {label ? (
        <label htmlFor={id} className="hs-field__label" title={tooltip}>
          {label}
          {required ? <span className="hs-field__required"> *</span> : null}
        </label>
      ) : null}
      {description ? <p className="hs-field__description">{description}</p> : null}
    </>
  );
}

/** A select field's validation message, as an error when `error` is set. */
function FieldMessage({ error, validationMessage }: { error?: boolean; validationMessage?: string }) {
  return validationMessage ? <p className={cx('hs-field__message', error && 'hs-field__message--error')}>{validationMessage}</p> : null;
}
