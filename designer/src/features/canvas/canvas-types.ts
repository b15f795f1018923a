import type { Edge, Node } from '@xyflow/react';

/** A port as the node card draws it. */
export interface PortView {
  id: string;
  label: string;
}

/** What the trace says about one node, drawn on its card. */
export interface NodeTrace {
  status: 'running' | 'succeeded' | 'failed' | 'retrying' | 'skipped';
  attempts: number;
  durationMs: number | null;
  /** The ports its latest attempt took (`error` when the error was routed). */
  ports: string[];
  error: string | null;
}

/** The data of a canvas node: plain JSON, derived from the flow document, never stored back. */
export interface CanvasNodeData extends Record<string, unknown> {
  nodeType: string;
  name: string;
  title: string;
  category: string;
  summary: string[];
  inputs: PortView[];
  outputs: PortView[];
  problemSeverity: 'error' | 'warning' | null;
  problems: string[];
  trace: NodeTrace | null;
}

export interface CanvasEdgeData extends Record<string, unknown> {
  problem: string | null;
  taken: boolean;
}

export type CanvasNode = Node<CanvasNodeData, 'flow'>;
export type CanvasEdge = Edge<CanvasEdgeData>;
