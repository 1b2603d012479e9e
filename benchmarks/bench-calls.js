// bench-calls.js: one run of bench-calls on the Tencent Cloud Node SDK's side
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node bench-calls.js PORT N   (NODE_PATH must reach the SDK; the SecretId and
// SecretKey of the simulator's demo account come in TENCENTCLOUD_SECRET_ID and
// TENCENTCLOUD_SECRET_KEY)
//
// Makes one warm-up call, then N sequential DescribeInstances (Limit 100) against the
// imprint-sim on 127.0.0.1:PORT, and prints one line of JSON: this process's own CPU time
// (user + system, process.cpuUsage) and the wall time, per call, over the N calls.
//
// The SDK signs for the service named by the endpoint's first label, so the endpoint is the
// real host name and an agent connects it to the simulator's port. The agent keeps
// connections alive, as Node's default agent does since Node 19.
"use strict";

const http = require("http");
const net = require("net");

async function main() {
  const port = Number(process.argv[2]);
  const n = Number(process.argv[3]);
  const sdk = require("tencentcloud-sdk-nodejs-cvm");
  const agent = new http.Agent({ keepAlive: true });
  agent.createConnection = (options, callback) => net.connect(port, "127.0.0.1", callback);

  const client = new sdk.cvm.v20170312.Client({
    credential: { secretId: process.env.TENCENTCLOUD_SECRET_ID, secretKey: process.env.TENCENTCLOUD_SECRET_KEY },
    region: "ap-guangzhou",
    profile: { signMethod: "TC3-HMAC-SHA256",
               httpProfile: { endpoint: "cvm.tencentcloudapi.com", protocol: "http://",
                              reqTimeout: 30, agent } },
  });

  const first = await client.DescribeInstances({ Limit: 100 });
  if (first.InstanceSet.length !== 100)
    throw new Error(`expected a page of 100 instances, got ${first.InstanceSet.length}`);

  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const page = await client.DescribeInstances({ Limit: 100 });
    if (page.InstanceSet.length !== 100)
      throw new Error("short page");
  }
  const wall = Number(process.hrtime.bigint() - wall0) / 1e6;
  const cpu = process.cpuUsage(cpu0);

  agent.destroy();
  console.log(JSON.stringify({ cpu_ms: (cpu.user + cpu.system) / 1000 / n, wall_ms: wall / n }));
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
