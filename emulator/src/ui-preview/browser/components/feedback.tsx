// Status and feedback components: Alert, StatusTag, LoadingSpinner, EmptyState, ErrorState.
// Each one's props are HubSpot's own prop type.
import type { FC } from 'react';
import type { AlertProps, EmptyStateProps, ErrorStateProps, LoadingSpinnerProps, StatusTagProps } from '@hubspot/ui-extensions';
import { cx, shortSize, testIdAttr } from './shared.js';

/** HubSpot's Alert: a tinted box with a coloured edge, a bold title and the message. */
export const Alert: FC<AlertProps> = ({ testId, title, children, variant = 'info' }) => (
  <div {...testIdAttr(testId)} className={cx('hs-alert', `hs-alert--${variant === 'error' ? 'danger' : variant}`)} role={variant === 'error' || variant === 'danger' ? 'alert' : 'status'}>
    <p className="hs-alert__title">{title}</p>
    {children === undefined ? null : <div className="hs-alert__body">{children}</div>}
  </div>
);

/** HubSpot's StatusTag: a coloured dot and a label; clickable and removable when asked. */
export const StatusTag: FC<StatusTagProps> = ({ testId, variant = 'default', hollow, onClick, showRemoveIcon, onRemoveClick, children }) => (
  <span {...testIdAttr(testId)} className={cx('hs-status-tag', `hs-status-tag--${variant}`, hollow && 'hs-status-tag--hollow')}>
    <span className="hs-status-tag__dot" aria-hidden="true" />
    {onClick ? (
      <button type="button" className="hs-status-tag__button" onClick={() => onClick()}>
        {children}
      </button>
    ) : (
      children
    )}
    {showRemoveIcon ? (
      <button type="button" className="hs-status-tag__remove" aria-label="Remove" onClick={() => onRemoveClick?.()}>
        ×
      </button>
    ) : null}
  </span>
);

/** HubSpot's LoadingSpinner: a spinning ring, its label shown or only announced. */
export const LoadingSpinner: FC<LoadingSpinnerProps> = ({ testId, label, showLabel, size, layout = 'inline' }) => (
  <div {...testIdAttr(testId)} className={cx('hs-spinner', `hs-spinner--${layout}`, `hs-spinner--${shortSize(size, 'sm')}`)} role="status">
    <span className="hs-spinner__ring" aria-hidden="true" />
    <span className={showLabel ? 'hs-spinner__label' : 'hs-visually-hidden'}>{label}</span>
  </div>
);

/** HubSpot's EmptyState: an illustration (here a named placeholder), a title and the message. */
export const EmptyState: FC<EmptyStateProps> = ({ testId, flush, children, title = 'All is not lost.', layout = 'horizontal', reverseOrder, imageWidth, imageName = 'customerSupport' }) => (
  <div {...testIdAttr(testId)} className={cx('hs-empty', `hs-empty--${layout}`, reverseOrder && 'hs-empty--reverse', flush && 'hs-empty--flush')}>
    <div className="hs-empty__image" data-image={imageName} style={imageWidth === undefined ? undefined : { width: imageWidth }} aria-hidden="true" />
    <div className="hs-empty__content">
      <p className="hs-empty__title">{title}</p>
      {children}
    </div>
  </div>
);

/** HubSpot's ErrorState: an error illustration, a title and the message (often a Retry button). */
export const ErrorState: FC<ErrorStateProps> = ({ testId, children, title = 'Something went wrong.', type = 'error' }) => (
  <div {...testIdAttr(testId)} className={cx('hs-empty', 'hs-empty--vertical', 'hs-error-state')} role="alert">
    <div className="hs-empty__image" data-image={`error-${type}`} aria-hidden="true" />
    <div className="hs-empty__content">
      <p className="hs-empty__title">{title}</p>
      {children}
    </div>
  </div>
);
