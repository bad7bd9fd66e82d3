/**
 * A Secret Service that never answers: a private `dbus-daemon` session bus on which a tiny raw
 * D-Bus client owns `org.freedesktop.secrets` and ignores every call made to it. Keyring calls on
 * that bus hang until something kills them, exactly like a locked/wedged gnome-keyring.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect, type Socket } from "node:net";

class Writer {
  readonly bytes: number[] = [];
  align(n: number): void {
    while (this.bytes.length % n !== 0) this.bytes.push(0);
  }
  byte(v: number): void {
    this.bytes.push(v & 0xff);
  }
  uint32(v: number): void {
    this.align(4);
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.bytes.push(...b);
  }
  string(s: string): void {
    const b = Buffer.from(s, "utf8");
    this.uint32(b.length);
    this.bytes.push(...b, 0);
  }
  signature(s: string): void {
    const b = Buffer.from(s, "utf8");
    this.byte(b.length);
    this.bytes.push(...b, 0);
  }
}

let serial = 0;
function methodCall(
  member: string,
  body?: { signature: string; write: (w: Writer) => void },
): Buffer {
  const bodyWriter = new Writer();
  body?.write(bodyWriter);
  const w = new Writer();
  w.byte(0x6c); // 'l' little endian
  w.byte(1); // METHOD_CALL
  w.byte(0);
  w.byte(1);
  w.uint32(bodyWriter.bytes.length);
  w.uint32(++serial);
  const fields: Array<[number, string, string]> = [
    [1, "o", "/org/freedesktop/DBus"],
    [2, "s", "org.freedesktop.DBus"],
    [3, "s", member],
    [6, "s", "org.freedesktop.DBus"],
  ];
  if (body) fields.push([8, "g", body.signature]);
  const fieldsWriter = new Writer();
  // the array starts at offset 16 of the message: keep alignment relative to the message start
  for (let i = 0; i < 16; i++) fieldsWriter.bytes.push(0);
  for (const [code, sig, value] of fields) {
    fieldsWriter.align(8);
    fieldsWriter.byte(code);
    fieldsWriter.signature(sig);
    if (sig === "g") fieldsWriter.signature(value);
    else fieldsWriter.string(value);
  }
  const fieldBytes = fieldsWriter.bytes.slice(16);
  w.uint32(fieldBytes.length);
  w.bytes.push(...fieldBytes);
  w.align(8);
  w.bytes.push(...bodyWriter.bytes);
  return Buffer.from(w.bytes);
}

/** A running hanging Secret Service. */
export interface HangingSecretService {
  /** Value for `DBUS_SESSION_BUS_ADDRESS`. */
  readonly address: string;
  stop(): Promise<void>;
}

/** Starts a private bus and claims `org.freedesktop.secrets` on it without ever answering. */
export async function startHangingSecretService(): Promise<HangingSecretService> {
  const daemon: ChildProcess = spawn(
    "dbus-daemon",
    ["--session", "--nofork", "--nopidfile", "--print-address=1"],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  const address = await new Promise<string>((resolve, reject) => {
    let out = "";
    daemon.once("error", reject);
    daemon.once("exit", () => reject(new Error("dbus-daemon exited")));
    daemon.stdout?.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      if (out.includes("\n")) resolve(out.split("\n")[0]!.trim());
    });
  });
  const path = /unix:(?:path|abstract)=([^,]+)/.exec(address);
  if (!path) throw new Error("unexpected dbus address");
  const abstract = address.includes("abstract=");
  const socket: Socket = connect(abstract ? `\0${path[1]}` : path[1]!);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const uid = String(process.getuid?.() ?? 0);
  socket.write(Buffer.from([0]));
  socket.write(`AUTH EXTERNAL ${Buffer.from(uid).toString("hex")}\r\n`);
  await new Promise<void>((resolve, reject) => {
    socket.once("data", (d) =>
      d.toString().startsWith("OK") ? resolve() : reject(new Error("dbus auth failed")),
    );
  });
  socket.write("BEGIN\r\n");
  let buf = Buffer.alloc(0);
  let returns = 0;
  const ready = new Promise<void>((resolve) => {
    socket.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 16) {
        const bodyLen = buf.readUInt32LE(4);
        const fieldsLen = buf.readUInt32LE(12);
        const total = 16 + Math.ceil(fieldsLen / 8) * 8 + bodyLen;
        if (buf.length < total) break;
        if (buf[1] === 2 || buf[1] === 3) returns++; // METHOD_RETURN / ERROR to our calls
        buf = buf.subarray(total);
        // every METHOD_CALL addressed to us (the Secret Service API) is deliberately ignored
      }
      if (returns >= 2) resolve();
    });
  });
  socket.write(methodCall("Hello"));
  socket.write(
    methodCall("RequestName", {
      signature: "su",
      write: (w) => {
        w.string("org.freedesktop.secrets");
        w.uint32(4);
      },
    }),
  );
  await ready;
  return {
    address,
    async stop() {
      socket.destroy();
      daemon.kill("SIGKILL");
      await new Promise((r) => (daemon.exitCode !== null ? r(undefined) : daemon.once("exit", r)));
    },
  };
}
