// accept.js: requests signed by Tencent Cloud's own Node.js SDK against imprint-sim.
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The simulator must accept what the official SDK signs, and refuse the very same request
// once a single byte of it has changed on the way. A small relay between the two flips
// that byte, so the SDK's request is otherwise untouched. Every action Imprint sends is
// sent once by the SDK too, the writes (CreateImage, SyncImages, DeleteImages) included,
// and each answer is read the way the SDK's typings describe it.
//
// The SDK names the signing service after the endpoint's first label, so it is pointed at
// the real host name, cvm.tencentcloudapi.com; an HTTP agent connects that name to the
// simulator's loopback port instead. What reaches the simulator is byte for byte what
// Tencent would have received (over plain HTTP).
//
// Usage: node accept.js /path/to/imprint-sim   (NODE_PATH must reach the SDK)
"use strict";

const { spawn } = require("child_process");
const http = require("http");
const net = require("net");
const readline = require("readline");

const SECRET_ID = "AKIDsdkACCEPTANCE0000000000000000000";
const SECRET_KEY = "sdkACCEPTANCEsecretKEY00000000000";

let n = 0;
let failed = 0;
const ok = (cond, name, extra) => {
  n++;
  if (cond) {
    console.log(`ok ${n} ${name}`);
  } else {
    failed++;
    console.log(`not ok ${n} ${name}`);
    if (extra) console.log(`# ${String(extra).split("\n").join("\n# ")}`);
  }
};

function loadSdk() {
  try {
    return require("tencentcloud-sdk-nodejs-cvm");
  } catch (e) {
    return null;
  }
}

function startSim(simPath) {
  return new Promise((resolve, reject) => {
    const child = spawn(simPath, ["--port", "0", "--secret-id", SECRET_ID, "--secret-key", SECRET_KEY,
                                  "--instances", "30", "--seed", "3", "--image-delay", "0"], { stdio: ["ignore", "pipe", "inherit"] });
    const rl = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error("imprint-sim did not start")), 10000);
    rl.on("line", (line) => {
      const m = line.match(/Listening on (http:\/\/127\.0\.0\.1:(\d+))/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[2]) });
      }
    });
    child.on("exit", (code) => reject(new Error(`imprint-sim exited with ${code}`)));
  });
}

// Forwards each request to the simulator; when `tamper` is set, flips one byte of the body.
function startRelay(simPort, state) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        if (state.tamper && body.length > 0) {
          const i = body.indexOf("1");   // "Limit":1 becomes "Limit":0
          body[i >= 0 ? i : body.length - 2] ^= 0x01;
        }
        const upstream = http.request({ host: "127.0.0.1", port: simPort, method: req.method, path: req.url,
                                        headers: req.headers }, (up) => {
          res.writeHead(up.statusCode, up.headers);
          up.pipe(res);
        });
        upstream.end(body);
      });
    });
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

async function main() {
  const simPath = process.argv[2];
  const sdk = loadSdk();
  if (!sdk) {
    console.log("1..0 # SKIP tencentcloud-sdk-nodejs-cvm is not installed (tools/setup installs it)");
    return;
  }

  const { child, port } = await startSim(simPath);
  const state = { tamper: false };
  const relay = await startRelay(port, state);
  const relayPort = relay.address().port;
  const Client = sdk.cvm.v20170312.Client;
  // An agent whose every connection goes to 127.0.0.1:toPort, whatever host was asked for.
  const agentTo = (toPort) => {
    const agent = new http.Agent({ keepAlive: false });
    agent.createConnection = (options, callback) => net.connect(toPort, "127.0.0.1", callback);
    return agent;
  };
  const client = (toPort, secretKey) => new Client({
    credential: { secretId: SECRET_ID, secretKey },
    region: "ap-guangzhou",
    profile: { signMethod: "TC3-HMAC-SHA256",
               httpProfile: { endpoint: "cvm.tencentcloudapi.com", protocol: "http://",
                              reqTimeout: 10, agent: agentTo(toPort) } },
  });

  console.log("1..10");
  try {
    const direct = client(port, SECRET_KEY);
    const regions = await direct.DescribeRegions({});
    ok(regions.RegionSet.some((r) => r.Region === "ap-guangzhou"), "the SDK's DescribeRegions is accepted");

    const instances = await direct.DescribeInstances({ Limit: 1, Filters: [{ Name: "instance-state", Values: ["STOPPED"] }] });
    ok(instances.TotalCount > 0 && instances.InstanceSet.length === 1 &&
       instances.InstanceSet[0].InstanceState === "STOPPED", "the SDK's DescribeInstances with filters is accepted");

    const images = await direct.DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }] });
    ok(Array.isArray(images.ImageSet), "the SDK's DescribeImages is accepted");

    // The writes, on an image of the stopped instance (ready at once: --image-delay 0).
    const created = await direct.CreateImage({ InstanceId: instances.InstanceSet[0].InstanceId,
                                               ImageName: "sdk-image" });
    ok(/^img-/.test(created.ImageId), "the SDK's CreateImage is accepted");

    const copied = await direct.SyncImages({ ImageIds: [created.ImageId], DestinationRegions: ["ap-shanghai"],
                                             ImageName: "sdk-copy", ImageSetRequired: true });
    ok(copied.ImageSet.length === 1 && copied.ImageSet[0].Region === "ap-shanghai" &&
       /^img-/.test(copied.ImageSet[0].ImageId), "the SDK's SyncImages is accepted and names the copy",
       JSON.stringify(copied));

    try {
      await direct.DeleteImages({ ImageIds: [created.ImageId], DryRun: true });
      ok(false, "the SDK's DeleteImages dry run is accepted");
    } catch (e) {
      ok(e.code === "DryRunOperation", "the SDK's DeleteImages dry run is accepted", e.code);
    }

    await direct.DeleteImages({ ImageIds: [created.ImageId], DeleteBindedSnap: true });
    const gone = await direct.DescribeImages({ ImageIds: [created.ImageId] });
    ok(gone.TotalCount === 0, "the SDK's DeleteImages is accepted and deletes the image", JSON.stringify(gone));

    const relayed = client(relayPort, SECRET_KEY);
    const untouched = await relayed.DescribeInstances({ Limit: 1 });
    ok(untouched.InstanceSet.length === 1, "an untouched request through the relay is accepted");

    state.tamper = true;
    try {
      await client(relayPort, SECRET_KEY).DescribeInstances({ Limit: 1 });
      ok(false, "a request with one byte changed is refused");
    } catch (e) {
      ok(e.code === "AuthFailure.SignatureFailure", "a request with one byte changed is refused with AuthFailure.SignatureFailure", e.code);
    }
    state.tamper = false;

    try {
      await client(port, "wrong" + SECRET_KEY.slice(5)).DescribeRegions({});
      ok(false, "a request signed with the wrong key is refused");
    } catch (e) {
      ok(e.code === "AuthFailure.SignatureFailure", "a request signed with the wrong key is refused", e.code);
    }
  } catch (e) {
    ok(false, "unexpected failure", e.stack || e);
  } finally {
    relay.close();
    child.kill("SIGTERM");
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => { console.log(`Bail out! ${e.message}`); process.exitCode = 1; });
