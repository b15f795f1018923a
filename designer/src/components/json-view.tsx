/** JSON, pretty-printed, in a scrollable block with an accessible name. */
export function JsonView(props: { value: unknown; label: string }) {
  const text = props.value === undefined ? '—' : JSON.stringify(props.value, null, 2);
  return (
    <section className="json-view" aria-label={props.label}>
      <pre>{text}</pre>
    </section>
  );
}
