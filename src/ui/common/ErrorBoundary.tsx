/**
 * No blank page, ever: a component that throws while rendering is replaced by a message with a way
 * on, not by nothing. PanelBoundary holds one section of the page (the hero, a story stage, Explore…):
 * the rest keeps working, and "Reset this panel" mounts that section again. The run's state lives in
 * App's hooks, above every panel, so resetting a panel keeps the result already shown. AppBoundary
 * holds the whole page, for a failure outside every panel (or in App's own hooks): it offers to
 * open the page without the link's settings, in case the link is what broke it.
 */
import { Component, Fragment, type ErrorInfo, type ReactNode } from 'react';
import { describeError } from '../../base/describeError';

interface Props {
  children: ReactNode;
}

interface State {
  error: Error | null;
  /** Bumped by a reset: a new key mounts the children afresh, with none of the state that threw. */
  generation: number;
}

/** Catches what its children throw while rendering; `fallback` says so and offers a way on. */
abstract class Boundary<P extends Props> extends Component<P, State> {
  override state: State = { error: null, generation: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // React has logged it with its component stack; this line says which boundary kept the page.
    console.warn(
      `${this.where()} failed and was replaced by its message: ${describeError(error)}`,
      info.componentStack ?? '',
    );
  }

  reset = (): void => {
    this.setState((state) => ({ error: null, generation: state.generation + 1 }));
  };

  abstract fallback(error: Error): ReactNode;
  /** Which part of the page, for the console. */
  abstract where(): string;

  override render(): ReactNode {
    const { error, generation } = this.state;
    if (error) return this.fallback(error);
    return <Fragment key={generation}>{this.props.children}</Fragment>;
  }
}

/** One section of the page; `name` says which, in the message. */
export class PanelBoundary extends Boundary<Props & { name: string }> {
  where(): string {
    return `The panel "${this.props.name}"`;
  }

  fallback(error: Error): ReactNode {
    return (
      <section className="error panel-error" role="alert" data-testid="panel-error">
        <p>
          <strong>This part of the page failed: {this.props.name}.</strong> {describeError(error)}. The rest of the page
          still works, and any result already shown is kept.
        </p>
        <button type="button" onClick={this.reset}>
          Reset this panel
        </button>
      </section>
    );
  }
}

/** The same path without its query: the page as it opens with no link settings. */
export function pathWithoutQuery(location: Pick<Location, 'pathname' | 'hash'>): string {
  return `${location.pathname}${location.hash}`;
}

/** The whole page. */
export class AppBoundary extends Boundary<Props> {
  where(): string {
    return 'The page';
  }

  fallback(error: Error): ReactNode {
    return (
      <main className="app app-error">
        <h1>Subliminal</h1>
        <section className="error" role="alert" data-testid="app-error">
          <p>
            <strong>The page hit an error it could not recover from.</strong> {describeError(error)}.
          </p>
          <p>If it came from this link&apos;s settings, open the page without them; otherwise try this page again.</p>
          <button type="button" onClick={() => window.location.assign(pathWithoutQuery(window.location))}>
            Open without the link&apos;s settings
          </button>{' '}
          <button type="button" className="secondary" onClick={this.reset}>
            Try again
          </button>
        </section>
      </main>
    );
  }
}
