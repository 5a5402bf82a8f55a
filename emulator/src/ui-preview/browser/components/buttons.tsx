// Clickable components: Button, LoadingButton, Link. Click handlers receive HubSpot's (event,
// reactions) pair. Each one's props are HubSpot's own prop type.
import type { FC, MouseEvent, ReactNode } from 'react';
import type { ButtonProps, LinkProps, LoadingButtonProps } from '@hubspot/ui-extensions';
import { cx, extensionEvent, hrefOf, reactions, shortSize, testIdAttr } from './shared.js';

interface ButtonLookProps {
  testId: string | undefined;
  variant: string;
  size: string | undefined;
  disabled: boolean;
  type: 'button' | 'reset' | 'submit';
  href: ButtonProps['href'];
  onClick: ButtonProps['onClick'];
  truncate: boolean | undefined;
  busy?: boolean;
  children: ReactNode;
}

function ButtonLook({ testId, variant, size, disabled, type, href, onClick, truncate, busy, children }: ButtonLookProps) {
  const className = cx('hs-button', `hs-button--${variant}`, `hs-button--${shortSize(size, 'md')}`, truncate && 'hs-button--truncate', busy && 'hs-button--busy');
  const click = (event: MouseEvent) => {
    if (disabled) return;
    void onClick?.(extensionEvent(event.nativeEvent), reactions);
  };
  if (href !== undefined && !disabled) {
    const { url, external } = hrefOf(href);
    return (
      <a {...testIdAttr(testId)} className={className} href={url} onClick={click} {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
        {children}
      </a>
    );
  }
  return (
    <button {...testIdAttr(testId)} className={className} type={type} disabled={disabled} aria-busy={busy || undefined} onClick={click}>
      {children}
    </button>
  );
}

/** HubSpot's Button: primary, secondary, destructive or transparent; a link when `href` is set. */
export const Button: FC<ButtonProps> = ({ testId, onClick, href, disabled, variant = 'secondary', type = 'button', children, size, truncate }) => (
  <ButtonLook testId={testId} variant={variant} size={size} disabled={disabled === true} type={type} href={href} onClick={onClick} truncate={truncate}>
    {children}
  </ButtonLook>
);

/** HubSpot's LoadingButton: a Button that shows a spinner and ignores clicks while `loading`. */
export const LoadingButton: FC<LoadingButtonProps> = ({ testId, onClick, href, disabled, variant = 'secondary', type = 'button', children, size, truncate, loading }) => (
  <ButtonLook testId={testId} variant={variant} size={size} disabled={disabled === true || loading === true} type={type} href={href} onClick={onClick} truncate={truncate} busy={loading === true}>
    {loading ? <span className="hs-button__spinner" aria-hidden="true" /> : null}
    {children}
  </ButtonLook>
);

/** HubSpot's Link: an anchor; external links open in a new tab with HubSpot's arrow icon. */
export const Link: FC<LinkProps> = ({ testId, children, href, variant = 'primary', onClick, preventDefault }) => {
  const { url, external } = hrefOf(href);
  return (
    <a
      {...testIdAttr(testId)}
      className={cx('hs-link', `hs-link--${variant}`)}
      href={url}
      {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}
      onClick={(event) => {
        if (preventDefault) event.preventDefault();
        void onClick?.(extensionEvent(event.nativeEvent), reactions);
      }}
    >
      {children}
      {external ? <span className="hs-link__external" aria-hidden="true"> ↗</span> : null}
    </a>
  );
};
