import type { JsonValue } from '@crossdock/nodes';
import { Button } from '../../components/button';
import { JsonInput } from './json-input';
import {
  BINARY_OPERATORS,
  type BinaryOperator,
  formatScalar,
  OPERATOR_LABELS,
  parseScalar,
  type RuleNode,
  UNARY_OPERATORS,
  type UnaryOperator,
} from './rule-model';

const ALL_OPERATORS = [...BINARY_OPERATORS, ...UNARY_OPERATORS];

function isUnary(op: string): op is UnaryOperator {
  return (UNARY_OPERATORS as readonly string[]).includes(op);
}

interface NodeEditorProps {
  node: RuleNode;
  onChange: (node: RuleNode) => void;
  onRemove?: () => void;
  label: string;
}

function Condition({ node, onChange, onRemove, label }: NodeEditorProps) {
  if (node.kind !== 'compare' && node.kind !== 'test') return null;
  const setOperator = (op: string) => {
    if (isUnary(op)) onChange({ kind: 'test', field: node.field, operator: op });
    else {
      const value = node.kind === 'compare' ? node.value : '';
      onChange({ kind: 'compare', field: node.field, operator: op as BinaryOperator, value });
    }
  };
  return (
    <div className="rule-row">
      <input
        className="rule-row__field mono"
        aria-label={`${label} field`}
        placeholder="field.path"
        value={node.field}
        onChange={(e) => onChange({ ...node, field: e.target.value })}
      />
      <select
        aria-label={`${label} operator`}
        value={node.operator}
        onChange={(e) => setOperator(e.target.value)}
      >
        {ALL_OPERATORS.map((op) => (
          <option key={op} value={op}>
            {OPERATOR_LABELS[op]}
          </option>
        ))}
      </select>
      {node.kind === 'compare' && (
        <input
          className="rule-row__value mono"
          aria-label={`${label} value`}
          placeholder="value"
          value={formatScalar(node.value)}
          onChange={(e) => onChange({ ...node, value: parseScalar(e.target.value) })}
        />
      )}
      {onRemove && (
        <Button variant="ghost" size="sm" aria-label={`Remove ${label}`} onClick={onRemove}>
          ✕
        </Button>
      )}
    </div>
  );
}

function RuleNodeEditor(props: NodeEditorProps) {
  const { node, onChange, onRemove, label } = props;
  if (node.kind === 'compare' || node.kind === 'test') return <Condition {...props} />;
  if (node.kind === 'raw') {
    return (
      <div className="rule-raw">
        <JsonInput
          label={`${label} (json-logic)`}
          value={node.logic}
          compact
          onChange={(logic: JsonValue) => onChange({ kind: 'raw', logic })}
        />
        {onRemove && (
          <Button variant="ghost" size="sm" aria-label={`Remove ${label}`} onClick={onRemove}>
            ✕
          </Button>
        )}
      </div>
    );
  }
  const update = (i: number, child: RuleNode) =>
    onChange({ ...node, rules: node.rules.map((r, j) => (j === i ? child : r)) });
  const remove = (i: number) => {
    const rules = node.rules.filter((_, j) => j !== i);
    const only = rules[0];
    onChange(rules.length === 1 && only ? only : { ...node, rules });
  };
  return (
    <fieldset className="rule-group">
      <legend className="rule-group__legend">
        <select
          aria-label={`${label} combinator`}
          value={node.combinator}
          onChange={(e) =>
            onChange({ ...node, combinator: e.target.value === 'or' ? 'or' : 'and' })
          }
        >
          <option value="and">All of</option>
          <option value="or">Any of</option>
        </select>
        {onRemove && (
          <Button variant="ghost" size="sm" aria-label={`Remove ${label}`} onClick={onRemove}>
            ✕
          </Button>
        )}
      </legend>
      {node.rules.map((r, i) => (
        <RuleNodeEditor
          // biome-ignore lint/suspicious/noArrayIndexKey: rules have no identity but their place
          key={i}
          node={r}
          label={`${label} rule ${i + 1}`}
          onChange={(child) => update(i, child)}
          {...(node.rules.length > 1 ? { onRemove: () => remove(i) } : {})}
        />
      ))}
      <div className="rule-group__actions">
        <Button
          size="sm"
          variant="ghost"
          onClick={() =>
            onChange({
              ...node,
              rules: [...node.rules, { kind: 'compare', field: '', operator: '==', value: '' }],
            })
          }
        >
          + Condition
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={() =>
            onChange({
              ...node,
              rules: [
                ...node.rules,
                {
                  kind: 'group',
                  combinator: node.combinator === 'and' ? 'or' : 'and',
                  rules: [{ kind: 'compare', field: '', operator: '==', value: '' }],
                },
              ],
            })
          }
        >
          + Group
        </Button>
      </div>
    </fieldset>
  );
}

/** The visual json-logic builder: groups of comparisons; anything else stays editable as JSON. */
export function RuleBuilder(props: {
  node: RuleNode;
  onChange: (node: RuleNode) => void;
  label: string;
}) {
  const { node } = props;
  if (node.kind === 'compare' || node.kind === 'test') {
    return (
      <div className="rule-builder">
        <RuleNodeEditor {...props} />
        <Button
          size="sm"
          variant="ghost"
          onClick={() =>
            props.onChange({
              kind: 'group',
              combinator: 'and',
              rules: [node, { kind: 'compare', field: '', operator: '==', value: '' }],
            })
          }
        >
          + Condition
        </Button>
      </div>
    );
  }
  return (
    <div className="rule-builder">
      <RuleNodeEditor {...props} />
    </div>
  );
}
