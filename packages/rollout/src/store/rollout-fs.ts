import { mkdir, open } from "node:fs/promises";

/** An open rollout file (append mode, readable for tail checks). */
export interface RolloutFileHandle {
  /** Appends `data` with one write call; resolves with the bytes written. */
  write(data: Uint8Array): Promise<number>;
  /** fsync. */
  sync(): Promise<void>;
  /** Current size in bytes. */
  size(): Promise<number>;
  /** Reads into `buf` from `position`; resolves with the bytes read. */
  readAt(buf: Uint8Array, position: number): Promise<number>;
  /** Closes the handle. */
  close(): Promise<void>;
}

/** File-system operations the recorder needs; inject one to simulate failures. */
export interface RolloutFs {
  /** `mkdir -p`. */
  mkdirp(path: string): Promise<void>;
  /** Opens for append, creating the file if needed. */
  openAppend(path: string): Promise<RolloutFileHandle>;
}

/** The real file system (node:fs/promises). */
export const nodeRolloutFs: RolloutFs = {
  async mkdirp(path) {
    await mkdir(path, { recursive: true });
  },
  async openAppend(path) {
    const fh = await open(path, "a+");
    return {
      async write(data) {
        const r = await fh.write(data, 0, data.length);
        return r.bytesWritten;
      },
      sync: () => fh.sync(),
      async size() {
        return (await fh.stat()).size;
      },
      async readAt(buf, position) {
        const r = await fh.read(buf, 0, buf.length, position);
        return r.bytesRead;
      },
      close: () => fh.close(),
    };
  },
};
