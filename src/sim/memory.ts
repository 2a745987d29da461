/**
 * Where the simulation's listener arrays live: in ordinary memory, unless a program that lends a
 * round another thread (see CollectHelper in observe.ts) asks for shared memory, so that both
 * threads work on the same listeners. Results never depend on it.
 */
type ListenerArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

interface ArrayType<T> {
  new (length: number): T;
  new (buffer: SharedArrayBuffer): T;
  readonly BYTES_PER_ELEMENT: number;
}

let shared = false;

/** From now on, allocate listener arrays in shared memory (where the platform has it). */
export function useSharedMemory(on: boolean): void {
  shared = on && typeof SharedArrayBuffer === 'function';
}

export function sharingMemory(): boolean {
  return shared;
}

export function isShared(a: ListenerArray): boolean {
  return typeof SharedArrayBuffer === 'function' && a.buffer instanceof SharedArrayBuffer;
}

/** How long a thread waits for another's part of a round before deciding the other thread is gone. */
export const PATIENCE_MS = 60_000;

/** An array in shared memory, whatever useSharedMemory says (the platform must have it). */
export function allocShared<T>(type: ArrayType<T>, length: number): T {
  return new type(new SharedArrayBuffer(length * type.BYTES_PER_ELEMENT));
}

export function alloc<T>(type: ArrayType<T>, length: number): T {
  return shared ? allocShared(type, length) : new type(length);
}

/** A copy of `a` where alloc puts new arrays. */
export function copyOf<T extends ListenerArray>(a: T): T {
  const out = alloc(a.constructor as ArrayType<T>, a.length);
  out.set(a as never);
  return out;
}
