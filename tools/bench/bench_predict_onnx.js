// ONNX Runtime (npm onnxruntime-node) peer of `cqtcnn predict` for tools/bench/bench_predict.py: the
// whole process reads a float32 NPY [N, C, H, W], runs the N inputs one at a time (batch 1) on one
// thread, CPU, and writes the N x classes outputs as raw float32 (native byte order) to OUT.
// Usage: node tools/bench/bench_predict_onnx.js MODEL.onnx INPUT.npy OUT.bin
// NODE_PATH must reach an onnxruntime-node install (bench_predict.py sets it).
const fs = require('fs');
const ort = require('onnxruntime-node');

function readNpy(path) {  // {dims, data} of a little-endian float32 C-order NPY, format v1, v2 or v3
  const buf = fs.readFileSync(path);
  if (buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${path}: not an NPY file`);
  const v1 = buf[6] === 1;
  const start = v1 ? 10 : 12, end = start + (v1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8));
  const header = buf.toString('latin1', start, end);
  if (!/'descr': '<f4'/.test(header) || !/'fortran_order': False/.test(header)) {
    throw new Error(`${path}: want little-endian float32 in C order, header ${header.trim()}`);
  }
  const dims = header.match(/'shape': \(([^)]*)\)/)[1].split(',').filter((s) => s.trim()).map(Number);
  const bytes = buf.subarray(end);  // the data of an NPY file starts 16- or 64-byte aligned
  const count = dims.reduce((a, b) => a * b, 1);
  const data = bytes.byteOffset % 4 === 0 ? new Float32Array(bytes.buffer, bytes.byteOffset, count)
    : new Float32Array(Uint8Array.from(bytes.subarray(0, 4 * count)).buffer);
  return {dims, data};
}

async function main() {
  const [model, input, output] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const {dims, data} = readNpy(input);
  const n = dims[0], size = data.length / n, name = session.inputNames[0];
  let out = null;
  for (let i = 0; i < n; ++i) {
    const x = new ort.Tensor('float32', data.subarray(i * size, (i + 1) * size), [1, ...dims.slice(1)]);
    const y = (await session.run({[name]: x}))[session.outputNames[0]].data;
    out = out || new Float32Array(n * y.length);
    out.set(y, i * y.length);
  }
  fs.writeFileSync(output, new Uint8Array(out.buffer));
}
main().catch((e) => { console.error(e); process.exit(1); });
