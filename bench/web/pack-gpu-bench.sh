#!/usr/bin/env bash
# Packs the page bench for a machine with a real GPU and no Node (an NVIDIA host with a Vulkan
# driver): this Node binary, the repository files the bench needs and its node_modules (the
# packaged Chromium included) go into one tarball with a run script.
#
#   bash bench/web/pack-gpu-bench.sh              → out/canopy-web-bench.tar.gz
#   (on the GPU host) tar xzf canopy-web-bench.tar.gz && cd canopy-web-bench && ./run.sh
#
# run.sh starts the packaged headless Chromium with ANGLE on Vulkan (--gpu); set CANOPY_CHROMIUM
# to use the host's own Chromium instead. It prints the same markdown table as on this machine,
# with the WebGL renderer and WebGPU adapter it got (check they name the GPU, not SwiftShader).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=out/canopy-web-bench
rm -rf "$out" && mkdir -p "$out/bin"
cp "$(command -v node)" "$out/bin/node"
cp -r package.json tsconfig.json src examples bench "$out/"
# node_modules without what the bench never loads (native ONNX, tfjs-node builds, Dawn binaries)
tar -C . --exclude='node_modules/onnxruntime-node' --exclude='node_modules/webgpu' \
  --exclude='node_modules/@tensorflow/tfjs-node*' --exclude='node_modules/.cache' -cf - node_modules | tar -C "$out" -xf -
cat > "$out/run.sh" <<'RUN'
#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")"
exec ./bin/node --import tsx bench/web/run.ts --gpu "$@"
RUN
chmod +x "$out/run.sh"
tar -C out -czf out/canopy-web-bench.tar.gz canopy-web-bench
echo "out/canopy-web-bench.tar.gz ($(du -h out/canopy-web-bench.tar.gz | cut -f1))"
