#!/usr/bin/env python3
# Records the answer seeds in tests/fuzz/corpus/response-{api3,legacy}/ from imprint-sim,
# so they are what a server really sends (run again when the simulator's answers change):
#   tests/fuzz/record-seeds.py _build/src/sim/imprint-sim
# The requests are signed here from the documented algorithms (TC3-HMAC-SHA256, and
# HmacSHA256 over the legacy query), independently of the core, with throw-away keys.
import base64
import hashlib
import hmac
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SECRET_ID, SECRET_KEY = "AKIDfuzzseeds", "fuzz-seeds-key"
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(request):
    try:
        return urllib.request.urlopen(request, timeout=10).read()
    except urllib.error.HTTPError as e:
        return e.read()


def api3(host, action, params, region=None):
    body = json.dumps(params, ensure_ascii=False).encode()
    now = int(time.time())
    date = time.strftime("%Y-%m-%d", time.gmtime(now))
    content_type = "application/json; charset=utf-8"
    canonical = "POST\n/\n\ncontent-type:%s\nhost:%s\n\ncontent-type;host\n%s" % (
        content_type, host, hashlib.sha256(body).hexdigest())
    scope = "%s/cvm/tc3_request" % date
    to_sign = "TC3-HMAC-SHA256\n%d\n%s\n%s" % (
        now, scope, hashlib.sha256(canonical.encode()).hexdigest())
    key = ("TC3" + SECRET_KEY).encode()
    for part in (date, "cvm", "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": content_type, "X-TC-Action": action, "X-TC-Version": "2017-03-12",
        "X-TC-Timestamp": str(now),
        "Authorization": "TC3-HMAC-SHA256 Credential=%s/%s, SignedHeaders=content-type;host, "
                         "Signature=%s" % (SECRET_ID, scope, signature),
    }
    if region:
        headers["X-TC-Region"] = region
    return fetch(urllib.request.Request("http://%s/" % host, data=body, headers=headers))


def legacy(host, action, params, region="gz"):
    query = {"Action": action, "Region": region, "SecretId": SECRET_ID,
             "Timestamp": str(int(time.time())), "Nonce": str(random.randint(1, 10**9)),
             "SignatureMethod": "HmacSHA256", **params}
    to_sign = "GET%s/v2/index.php?%s" % (host.split(":")[0],
                                         "&".join("%s=%s" % (k, query[k]) for k in sorted(query)))
    query["Signature"] = base64.b64encode(
        hmac.new(SECRET_KEY.encode(), to_sign.encode(), hashlib.sha256).digest()).decode()
    return fetch("http://%s/v2/index.php?%s" % (host, urllib.parse.urlencode(query)))


def save(harness, name, body):
    with open(os.path.join(CORPUS, harness, name), "wb") as f:
        f.write(body)


def record(host):
    region = "ap-guangzhou"
    instances = api3(host, "DescribeInstances", {"Limit": 2}, region)
    save("response-api3", "instances.json", instances)
    instance_id = json.loads(instances)["Response"]["InstanceSet"][0]["InstanceId"]
    create = {"InstanceId": instance_id, "ImageName": "fuzz-seed", "ForcePoweroff": "true"}
    save("response-api3", "regions.json", api3(host, "DescribeRegions", {}))
    save("response-api3", "instance-one.json",
         api3(host, "DescribeInstances", {"InstanceIds": [instance_id]}, region))
    save("response-api3", "quota.json", api3(host, "DescribeImageQuota", {}, region))
    save("response-api3", "dry-run.json", api3(host, "CreateImage", {**create, "DryRun": True}, region))
    save("response-api3", "create.json",
         api3(host, "CreateImage", {**create, "ImageDescription": "种子"}, region))
    save("response-api3", "images.json", api3(host, "DescribeImages", {
        "Filters": [{"Name": "image-type", "Values": ["PRIVATE_IMAGE"]}], "Limit": 100}, region))
    save("response-api3", "error-duplicate.json", api3(host, "CreateImage", create, region))
    listed = json.loads(api3(host, "DescribeImages", {
        "Filters": [{"Name": "image-type", "Values": ["PRIVATE_IMAGE"]}], "Limit": 100}, region))
    creating = [i["ImageId"] for i in listed["Response"]["ImageSet"] if i["ImageState"] == "CREATING"]
    normal = [i["ImageId"] for i in listed["Response"]["ImageSet"] if i["ImageState"] == "NORMAL"]
    save("response-api3", "copies.json", api3(host, "SyncImages", {
        "ImageIds": normal[:1], "DestinationRegions": ["ap-shanghai", "ap-chengdu"],
        "ImageName": "fuzz-copy", "ImageSetRequired": True}, region))
    save("response-api3", "error-image-state.json",
         api3(host, "DeleteImages", {"ImageIds": creating[:1]}, region))
    save("response-api3", "error-not-found.json",
         api3(host, "DescribeInstances", {"InstanceIds": ["ins-00000000"]}, region))

    instances = legacy(host, "DescribeInstances", {"limit": "3"})
    save("response-legacy", "instances.json", legacy(host, "DescribeInstances", {"limit": "2"}))
    instance_ids = [i["unInstanceId"] for i in json.loads(instances)["instanceSet"]]
    save("response-legacy", "instance-one.json",
         legacy(host, "DescribeInstances", {"instanceIds.0": instance_ids[1]}))
    created = None
    for n, instance_id in enumerate(instance_ids):
        # Only a stopped instance can be imaged through the legacy API.
        request = {"instanceId": instance_id, "imageName": "fuzz-legacy-%d" % n}
        answer = legacy(host, "CreateImage", request)
        if json.loads(answer)["code"] != 0:
            save("response-legacy", "error-state.json", answer)
        elif created is None:
            save("response-legacy", "create.json", answer)
            created = request
    if created is not None:
        save("response-legacy", "error-duplicate.json", legacy(host, "CreateImage", created))
    save("response-legacy", "images.json", legacy(host, "DescribeImages", {"imageType": "1"}))
    save("response-legacy", "error-action.json", legacy(host, "NoSuchAction", {}))


def main():
    port = free_port()
    sim = subprocess.Popen([sys.argv[1], "--port", str(port), "--secret-id", SECRET_ID,
                            "--secret-key", SECRET_KEY, "--instances", "3", "--seed", "7"])
    try:
        time.sleep(1)
        record("127.0.0.1:%d" % port)
    finally:
        sim.terminate()
        sim.wait()


if __name__ == "__main__":
    main()
