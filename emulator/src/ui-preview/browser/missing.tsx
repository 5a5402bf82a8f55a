// What the preview shows for a part of the SDK it does not implement: a visible box naming it,
// never a blank, so a developer sees at once which component to check in HubSpot itself.
import type { FC, ReactNode } from 'react';
import { NotInPreviewError } from './host.js';

/** Props of {@link NotAvailable}. */
export interface NotAvailableProps {
  name: string;
  testId?: string;
  children?: ReactNode;
}

/** The box that stands in for a missing component. */
export function NotAvailable({ name, testId }: NotAvailableProps) {
  return (
    <div className="hs-not-available" data-testid={testId} data-component={name} role="note">
      <strong>{name}</strong> is not available in the preview. Check it on a HubSpot test account.
    </div>
  );
}

/**
 * A component the preview lacks.
 * @param name the component's export name, e.g. `Accordion`
 * @returns a component that renders the "not available" box
 */
export function missingComponent(name: string): FC<{ testId?: string }> {
  const Missing: FC<{ testId?: string }> = ({ testId }) => <NotAvailable name={name} {...(testId === undefined ? {} : { testId })} />;
  Missing.displayName = `NotAvailable(${name})`;
  return Missing;
}

/**
 * A hook or function the preview lacks: calling it throws, and the card's error boundary names it.
 * @param name the export name, e.g. `useCrmProperties`
 * @returns a function that throws {@link NotInPreviewError}
 */
export function missingFunction(name: string): () => never {
  return () => {
    throw new NotInPreviewError(name);
  };
}
