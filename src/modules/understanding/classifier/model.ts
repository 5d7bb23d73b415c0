/**
 * The trained model as plain data: typed arrays in memory (structured-cloneable, so it crosses a
 * `worker_thread` boundary as is), and a JSON form with the arrays in base64 for storing in the database.
 */
import type { FeatureConfig } from './features.js';

export const MODEL_VERSION = 1;

export type DenseScaling = { dim: number; mean: Float32Array; std: Float32Array; weight: number };

export type ClassifierModel = {
  version: typeof MODEL_VERSION;
  /** Class labels; column k of the weights is `labels[k]`. */
  labels: string[];
  features: FeatureConfig;
  /** Feature hashes learned, column i is `hashes[i]`; the dense features (if any) follow them. */
  hashes: Int32Array;
  idf: Float32Array;
  /** Feature-major: the class weights of column f are `weights[f*K .. f*K+K)`. */
  weights: Float32Array;
  bias: Float32Array;
  dense: DenseScaling | null;
  /** Calibrated probabilities are `softmax(scores / temperature)`. */
  temperature: number;
  /** Below this calibrated top probability a text is out of scope ("none of these"). */
  oosThreshold: number;
  /** What training measured on its held-out share (before refitting on everything). */
  validation: { examples: number; accuracy: number; ece: number; passRate: number };
  trainedOn: number;
  /** The label of the texts it learned as out of scope ("none of these"); never ranked. */
  outOfScopeLabel?: string;
  /** Texts describing a label (reason names and descriptions) it learned from as examples. */
  described?: number;
  /** Unlabelled texts it also learned from, with the label it gave them itself (self-training; 0: none). */
  pseudoLabelled?: number;
  seed: number;
};

export type SerializedModel = Omit<ClassifierModel, 'hashes' | 'idf' | 'weights' | 'bias' | 'dense'> & {
  hashes: string;
  idf: string;
  weights: string;
  bias: string;
  dense: { dim: number; mean: string; std: string; weight: number } | null;
};

const b64 = (a: Int32Array | Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function f32(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

function i32(s: string): Int32Array {
  const buf = Buffer.from(s, 'base64');
  return new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** A JSON-able copy of the model (`JSON.stringify` it to store). */
export function serializeModel(model: ClassifierModel): SerializedModel {
  return {
    ...model,
    hashes: b64(model.hashes),
    idf: b64(model.idf),
    weights: b64(model.weights),
    bias: b64(model.bias),
    dense: model.dense ? { ...model.dense, mean: b64(model.dense.mean), std: b64(model.dense.std) } : null,
  };
}

/** The model back from its JSON form; throws on another version or inconsistent sizes. */
export function deserializeModel(data: SerializedModel): ClassifierModel {
  if (data.version !== MODEL_VERSION) {
    throw new Error(`classifier model version ${String(data.version)} is not ${MODEL_VERSION}: retrain it`);
  }
  const model: ClassifierModel = {
    ...data,
    hashes: i32(data.hashes),
    idf: f32(data.idf),
    weights: f32(data.weights),
    bias: f32(data.bias),
    dense: data.dense ? { ...data.dense, mean: f32(data.dense.mean), std: f32(data.dense.std) } : null,
  };
  const K = model.labels.length;
  const columns = model.hashes.length + (model.dense?.dim ?? 0);
  if (
    model.weights.length !== columns * K ||
    model.bias.length !== K ||
    model.idf.length !== model.hashes.length
  ) {
    throw new Error('classifier model arrays do not match its labels and features');
  }
  return model;
}
