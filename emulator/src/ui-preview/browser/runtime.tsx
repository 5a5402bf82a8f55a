// Mounts one extension on the preview page: reads its boot block (context and fetch path) from the
// page, starts the host, and renders the callback the entry file gave `hubspot.extend`, inside an
// error boundary that shows what HubSpot would show for a crashed card, plus the reason.
import { Component, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { NotInPreviewError, registeredExtension, startHost, type PreviewBoot } from './host.js';
import { NotAvailable } from './missing.js';

interface BoundaryState {
  error: Error | null;
}

class ExtensionBoundary extends Component<{ children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    const { error } = this.state;
    if (error instanceof NotInPreviewError) return <NotAvailable name={error.feature} />;
    if (error) {
      return (
        <div className="hs-empty hs-empty--vertical hs-error-state" role="alert" data-testid="preview-extension-crashed">
          <div className="hs-empty__content">
            <p className="hs-empty__title">This card ran into a problem</p>
            <p className="hs-text hs-text--microcopy">{error.message}</p>
          </div>
        </div>
      );
    }
    return this.props.children;
  }
}

/**
 * Renders the extension whose entry file just ran into its slot on the page.
 * @param uid the extension's uid (names its slot and its boot block)
 */
export function mountExtension(uid: string): void {
  const slot = document.querySelector(`[data-extension-uid="${CSS.escape(uid)}"]`);
  const bootBlock = document.getElementById(`boot-${uid}`);
  if (!slot || !bootBlock?.textContent) throw new Error(`The preview page has no slot for extension ${uid}`);
  const boot = JSON.parse(bootBlock.textContent) as PreviewBoot;
  const render = registeredExtension();
  const api = startHost(boot);
  createRoot(slot).render(
    <ExtensionBoundary>{render ? render(api) : <NotAvailable name="hubspot.extend (the entry file registered nothing)" />}</ExtensionBoundary>,
  );
}
