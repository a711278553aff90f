import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The eBPF program and the BPF_PROG_LOAD attributes the helper builds, checked byte for byte against
 * an encoding written here from the kernel's definitions, without loading anything (no CAP_BPF needed):
 * a wrong opcode, register, offset or field would only show as a refused load, or a wrong verdict, on a
 * host that can load it.
 */
const HELPER = fileURLToPath(new URL("./drain-listener.py", import.meta.url));

/** Imports the helper as a module (its name has a hyphen) and prints what a Python expression gives. */
function python<T>(expression: string): T {
  const code = [
    "import importlib.util, json, struct, sys",
    `spec = importlib.util.spec_from_file_location("helper", ${JSON.stringify(HELPER)})`,
    "helper = importlib.util.module_from_spec(spec)",
    "spec.loader.exec_module(helper)",
    `print(json.dumps(${expression}))`,
  ].join("\n");
  const run = spawnSync("python3", ["-I", "-S", "-c", code], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as T;
}

/** One eBPF instruction: opcode, dst and src registers, 16-bit offset, 32-bit immediate, little-endian. */
function insn(code: number, { dst = 0, src = 0, off = 0, imm = 0 } = {}): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(code, 0);
  b.writeUInt8((src << 4) | dst, 1);
  b.writeInt16LE(off, 2);
  b.writeInt32LE(imm, 4);
  return b;
}

// From include/uapi/linux/bpf.h and bpf_common.h.
const BPF = {
  LDX_MEM_DW: 0x79, // BPF_LDX | BPF_MEM | BPF_DW
  JNE_K: 0x55, // BPF_JMP | BPF_JNE | BPF_K
  CALL: 0x85,
  LD_IMM64: 0x18, // BPF_LD | BPF_IMM | BPF_DW, two slots
  JGT_X: 0x2d, // BPF_JMP | BPF_JGT | BPF_X
  MOV64_K: 0xb7,
  EXIT: 0x95,
  FUNC_ktime_get_ns: 5,
  SK_DROP: 0,
  SK_PASS: 1,
  PROG_TYPE_SK_REUSEPORT: 21,
  SK_REUSEPORT_SELECT_OR_MIGRATE: 40,
};
/**
 * offsetof(struct sk_reuseport_md, migrating_sk) (bpf.h): data and data_end (8 bytes each), five u32
 * (len, eth_protocol, ip_protocol, bind_inany, hash) padded to 40, sk at 40, migrating_sk at 48.
 */
const MIGRATING_SK = 48;

describe("the listener helper's eBPF program", () => {
  it("drops new connections until the deadline, and passes one being moved and everything after it", () => {
    const deadline = 0x1_2345_6789n;
    const expected = Buffer.concat([
      insn(BPF.LDX_MEM_DW, { dst: 2, src: 1, off: MIGRATING_SK }),
      insn(BPF.JNE_K, { dst: 2, off: 6 }),
      insn(BPF.CALL, { imm: BPF.FUNC_ktime_get_ns }),
      insn(BPF.LD_IMM64, { dst: 1, imm: Number(deadline & 0xffff_ffffn) | 0 }),
      insn(0, { imm: Number(deadline >> 32n) }),
      insn(BPF.JGT_X, { dst: 0, src: 1, off: 2 }),
      insn(BPF.MOV64_K, { imm: BPF.SK_DROP }),
      insn(BPF.EXIT),
      insn(BPF.MOV64_K, { imm: BPF.SK_PASS }),
      insn(BPF.EXIT),
    ]);
    expect(python<string>(`helper.program(${deadline}).hex()`)).toBe(expected.toString("hex"));
    // Every jump lands on an instruction and the two exits end it: 10 slots.
    expect(expected.length / 8).toBe(10);
  });

  it("lays out BPF_PROG_LOAD's attributes where the kernel reads them", () => {
    const fields = python<number[] | string[]>(
      "list(struct.unpack_from('<IIQQIIQII', helper.prog_load_attr(10, 0x1111, 0x2222, 4096, 0x3333), 0)) + " +
        "[helper.prog_load_attr(10, 1, 2, 3, 4)[48:64].rstrip(b'\\0').decode()] + " +
        "list(struct.unpack_from('<II', helper.prog_load_attr(10, 1, 2, 3, 4), 64)) + " +
        "[len(helper.prog_load_attr(10, 1, 2, 3, 4))]",
    );
    // prog_type@0 insn_cnt@4 insns@8 license@16 log_level@24 log_size@28 log_buf@32 kern_version@40
    // prog_flags@44 prog_name[16]@48 prog_ifindex@64 expected_attach_type@68
    expect(fields).toEqual([
      BPF.PROG_TYPE_SK_REUSEPORT,
      10,
      0x1111,
      0x2222,
      1,
      4096,
      0x3333,
      0,
      0,
      "bustbench_drain",
      0,
      BPF.SK_REUSEPORT_SELECT_OR_MIGRATE,
      72,
    ]);
  });

  it.each([
    [["drop"]],
    [["refuse", "--wait-ms", "soon"]],
    [["refuse", "--wait-ms", "-1"]],
    [["refuse", "--alone", "--wait-ms"]],
  ])("says how it is used, in one line, when called wrongly (%j)", (args) => {
    const run = spawnSync("python3", ["-I", "-S", HELPER, ...args], { encoding: "utf8" });
    expect([run.status, run.stderr]).toEqual([
      1,
      "usage: drain-listener.py refuse|migrate [--siblings-env NAME | --alone] [--wait-ms N], with the listening socket as fd 3\n",
    ]);
  });
});
