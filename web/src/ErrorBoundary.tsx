import { Component, type ReactNode } from 'react';

type State = { error: Error | null; key: string };

/** A lazy page whose script cannot be fetched: after a deploy, or with the connection gone. */
const isChunkFailure = (e: Error) =>
  /dynamically imported module|Importing a module script failed|Failed to fetch|ChunkLoadError/i.test(
    e.message,
  );

/**
 * Keeps one page's failure to that page: the top bar and navigation stay, and people read what happened and
 * what to do (reload, or go back to the inbox), not a blank screen. Moving to another page (`resetKey`)
 * tries again.
 */
export class PageErrorBoundary extends Component<{ resetKey: string; children: ReactNode }, State> {
  state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: { resetKey: string }, state: State): Partial<State> | null {
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const chunk = isChunkFailure(error);
    return (
      <div className="error-box" role="alert">
        <h1>{chunk ? 'This page could not be loaded' : 'Something went wrong on this page'}</h1>
        <p>
          {chunk
            ? 'Steward may have been updated since you opened it, or the connection dropped. Reloading usually fixes it.'
            : 'Reloading usually fixes it. If it keeps happening, tell your admin what you were doing.'}
        </p>
        <p>
          <button type="button" className="button primary" onClick={() => window.location.reload()}>
            Reload the page
          </button>{' '}
          <a href="/">Go to the inbox</a>
        </p>
      </div>
    );
  }
}
