import { catalog } from '@crossdock/nodes';

/** Placeholder shell until the designer issue lands: lists the node catalog. */
export function App() {
  return (
    <main>
      <h1>Crossdock designer</h1>
      <p>The canvas is not built yet. Node types available:</p>
      <ul>
        {catalog.list().map((m) => (
          <li key={m.type}>
            {m.title} <code>{m.type}</code>
          </li>
        ))}
      </ul>
    </main>
  );
}
