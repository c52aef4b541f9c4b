// ONNX Runtime (npm onnxruntime-node) timing for tools/bench/bench_cnn_peers.py: one thread, CPU.
// Usage: node tools/bench/bench_cnn_onnx.js MODEL.onnx C H W BATCH SECONDS  -> prints {"inf_per_s": ...}
// NODE_PATH must reach an onnxruntime-node install (bench_cnn_peers.py sets it).
const ort = require('onnxruntime-node');

async function main() {
  const [model, c, h, w, batch, seconds] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const dims = [Number(batch), Number(c), Number(h), Number(w)];
  const data = Float32Array.from({length: dims.reduce((a, b) => a * b)}, (_, i) => Math.sin(i));
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, dims)};
  for (let i = 0; i < 20; ++i) await session.run(feeds);  // warm-up
  const cpu0 = process.cpuUsage(), t0 = process.hrtime.bigint();
  let runs = 0;
  while (Number(process.hrtime.bigint() - t0) / 1e9 < Number(seconds)) {
    await session.run(feeds);
    ++runs;
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(JSON.stringify({inf_per_s_wall: runs * dims[0] / wall, inf_per_s_cpu: runs * dims[0] / cpuSeconds}));
}
main().catch((e) => { console.error(e); process.exit(1); });
