import {
  catalog,
  type FlowNode,
  isJsonObject,
  type JsonObject,
  type JsonValue,
} from '@crossdock/nodes';
import Form from '@rjsf/core';
import type { RegistryFieldsType, RegistryWidgetsType, RJSFSchema } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useStore } from '../../store/create-store';
import { type EditorStore, editDocument, selectDoc } from '../../store/editor-store';
import { categoryGlyph } from '../canvas/category-glyph';
import { updateNode } from '../canvas/flow-edit';
import { arrayTemplates, TextOrNumberField } from './array-templates';
import { ConnectionWidget, PartnerWidget } from './connection-widget';
import { ExpressionField } from './expression-field';
import { FlowSettings } from './flow-settings';
import { JsonField } from './json-field';
import { MappingEditor, MappingSourceContext, MappingTablesContext } from './mapping-editor';
import { NodePins } from './node-pins';
import { NodePolicy } from './node-policy';
import { configErrors, formSchemaFor, uiSchemaFor } from './ui-schema';
import './inspector.css';

const fields: RegistryFieldsType = {
  expression: ExpressionField,
  mapping: MappingEditor,
  json: JsonField,
  'text-or-number': TextOrNumberField,
};
const widgets: RegistryWidgetsType = { connection: ConnectionWidget, partner: PartnerWidget };
/** Defaults stay in the manifest; the form never writes them into a node on its own. */
const DEFAULTS_BEHAVIOR = { emptyObjectFields: 'skipDefaults' } as const;

let validatorInstance: ReturnType<typeof customizeValidator> | null = null;
/** Built on first use (nothing at import time); our schemas carry `x-expression`, so not strict. */
function formValidator() {
  validatorInstance ??= customizeValidator({ ajvOptionsOverrides: { strict: false } });
  return validatorInstance;
}

function clean(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value ?? {})) as JsonObject;
}

function NodeForm({ store, node }: { store: EditorStore; node: FlowNode }) {
  const manifest = catalog.get(node.type);
  const diagnostics = useStore(store, (s) => s.diagnostics);
  const focus = useStore(store, (s) => s.focus);
  const run = useStore(store, (s) => s.run);
  const samples = useStore(store, (s) => s.samples);
  const pinnedInput = useStore(store, (s) => s.pins[node.id]?.input);
  const uiSchema = useMemo(() => (manifest ? uiSchemaFor(manifest) : {}), [manifest]);
  const formSchema = useMemo(
    () => (manifest ? formSchemaFor(manifest, uiSchema) : {}),
    [manifest, uiSchema],
  );
  const tables = useMemo(
    () =>
      isJsonObject(node.config.tables)
        ? (node.config.tables as Record<string, Record<string, JsonValue>>)
        : {},
    [node.config.tables],
  );
  const extraErrors = useMemo(() => configErrors(diagnostics, node.id), [diagnostics, node.id]);
  const problems = diagnostics.filter((d) => d.nodeId === node.id);
  // What the node reads: its pinned input, else its input in the last run, else the first sample.
  const source: JsonValue | undefined =
    pinnedInput ?? run?.steps.find((s) => s.nodeId === node.id)?.input ?? samples[0]?.payload;

  useEffect(() => {
    if (!focus || focus.nodeId !== node.id) return;
    // The deepest element the form has for the pointer: root_cases_1_condition, else root_cases.
    let el: HTMLElement | null = null;
    for (let n = focus.pointer.length; n > 0 && !el; n--) {
      el = document.getElementById(['root', ...focus.pointer.slice(0, n)].join('_'));
    }
    const target = el?.matches('input,select,textarea')
      ? el
      : el?.querySelector('input,select,textarea');
    if (target instanceof HTMLElement) target.focus();
  }, [focus, node.id]);

  const touched = useRef(false);
  const touch = useCallback(() => {
    touched.current = true;
  }, []);

  const rename = (name: string) =>
    editDocument(store, (d) => updateNode(d, node.id, (n) => ({ ...n, name })), {
      group: `name:${node.id}`,
    });

  if (!manifest) {
    return <p className="muted">Unknown node type “{node.type}”: fix the type in the file.</p>;
  }
  return (
    <div className="inspector__node">
      <header className="inspector__header">
        <span className={`node-card__glyph glyph--${manifest.category}`} aria-hidden="true">
          {categoryGlyph(manifest.category)}
        </span>
        <div>
          <div className="inspector__type">{manifest.title}</div>
          <div className="inspector__id mono">{node.id}</div>
        </div>
      </header>
      <label className="field">
        <span className="control-label">Node name</span>
        <input
          className="form-control"
          value={node.name}
          onChange={(e) => rename(e.target.value)}
        />
      </label>
      <details className="inspector__docs">
        <summary>About this node</summary>
        <p>{manifest.description}</p>
        <p>{manifest.docs}</p>
      </details>
      <NodePins store={store} node={node} manifest={manifest} />
      <NodePolicy store={store} node={node} />
      {problems.length > 0 && (
        <ul className="inspector__problems" aria-label="Node problems">
          {problems.map((p) => (
            <li key={`${p.path}-${p.code}`} className={`severity-text--${p.severity}`}>
              {p.message}
            </li>
          ))}
        </ul>
      )}
      {/* The form library reports a change on its own when it first renders (filled defaults);
          only changes after the analyst touched the form are edits. */}
      <MappingSourceContext value={source}>
        <MappingTablesContext value={tables}>
          <div
            className="inspector__form"
            onInputCapture={touch}
            onChangeCapture={touch}
            onClickCapture={touch}
            onKeyDownCapture={touch}
          >
            <Form
              key={node.id}
              schema={formSchema as RJSFSchema}
              uiSchema={uiSchema}
              formData={node.config}
              validator={formValidator()}
              fields={fields}
              widgets={widgets}
              templates={arrayTemplates}
              extraErrors={extraErrors}
              noValidate
              showErrorList={false}
              experimental_defaultFormStateBehavior={DEFAULTS_BEHAVIOR}
              onChange={(e) => {
                if (!touched.current) return;
                const next = clean(e.formData);
                if (JSON.stringify(next) === JSON.stringify(node.config)) return;
                // One undo step per field: keystrokes in the same field(s) extend the last edit.
                const changed = Object.keys({ ...node.config, ...next })
                  .filter((k) => JSON.stringify(node.config[k]) !== JSON.stringify(next[k]))
                  .sort()
                  .join(',');
                editDocument(
                  store,
                  (d) => updateNode(d, node.id, (n) => ({ ...n, config: next })),
                  { group: `config:${node.id}:${changed}` },
                );
              }}
            />
          </div>
        </MappingTablesContext>
      </MappingSourceContext>
    </div>
  );
}

const MIN_WIDTH = 320;
const MAX_WIDTH = 900;

/** Drag the panel's left edge (or use the arrow keys on it) to make room for long expressions. */
function ResizeHandle() {
  const setWidth = (el: HTMLElement, width: number) => {
    const body = el.closest<HTMLElement>('.editor__body');
    const w = Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width)));
    body?.style.setProperty('--inspector-width', `${w}px`);
  };
  const widthOf = (el: HTMLElement) => el.parentElement?.getBoundingClientRect().width ?? 420;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a splitter is a focusable separator; <hr> is not
    <div
      className="inspector__resize"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize inspector"
      aria-valuemin={MIN_WIDTH}
      aria-valuemax={MAX_WIDTH}
      aria-valuenow={420}
      tabIndex={0}
      onKeyDown={(e) => {
        const el = e.currentTarget;
        if (e.key === 'ArrowLeft') setWidth(el, widthOf(el) + 40);
        if (e.key === 'ArrowRight') setWidth(el, widthOf(el) - 40);
      }}
      onPointerDown={(e) => {
        const el = e.currentTarget;
        const startX = e.clientX;
        const start = widthOf(el);
        el.setPointerCapture(e.pointerId);
        const onMove = (m: PointerEvent) => setWidth(el, start + startX - m.clientX);
        const onUp = () => {
          el.removeEventListener('pointermove', onMove);
          el.removeEventListener('pointerup', onUp);
        };
        el.addEventListener('pointermove', onMove);
        el.addEventListener('pointerup', onUp);
      }}
    />
  );
}

/** The right-hand panel: the selected node's form, or the flow's own settings. */
export function Inspector({ store }: { store: EditorStore }) {
  const doc = useStore(store, selectDoc);
  const selected = useStore(store, (s) => s.selectedNodes);
  const node = selected.size === 1 ? doc?.nodes.find((n) => selected.has(n.id)) : undefined;
  return (
    <aside className="inspector" aria-label="Inspector">
      <ResizeHandle />
      {node ? (
        <NodeForm key={node.id} store={store} node={node} />
      ) : doc ? (
        <FlowSettings store={store} doc={doc} count={selected.size} />
      ) : null}
    </aside>
  );
}
