/** `node:os` for the browser runtime: the core count is `navigator.hardwareConcurrency`. */
const cores = () => Math.max(1, navigator.hardwareConcurrency || 1);

export const os = {
  availableParallelism: cores,
  cpus: () => Array.from({ length: cores() }, () => ({ model: "browser core", speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } })),
  platform: () => "browser",
  arch: () => "wasm",
  type: () => "Browser",
  release: () => navigator.userAgent,
  hostname: () => (typeof location !== "undefined" ? location.hostname : "browser"),
  homedir: () => "/home/reader",
  tmpdir: () => "/tmp",
  totalmem: () => ((navigator as { deviceMemory?: number }).deviceMemory ?? 4) * 1024 ** 3,
  freemem: () => ((navigator as { deviceMemory?: number }).deviceMemory ?? 4) * 1024 ** 3,
  loadavg: () => [0, 0, 0],
  uptime: () => performance.now() / 1000,
  endianness: () => "LE",
  EOL: "\n",
  userInfo: () => ({ username: "reader", uid: -1, gid: -1, shell: null, homedir: "/home/reader" }),
};
export default os;
