import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** Changing it clears the error, e.g. the route: moving on gives the page another chance. */
  resetKey: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  key: string;
}

/** Keeps one broken page from blanking the whole app, and says what broke. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('designer page failed', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="page">
        <div className="callout callout--danger" role="alert">
          <strong>This page failed to render.</strong>
          <div className="mono small">{this.state.error.message}</div>
        </div>
      </div>
    );
  }
}
