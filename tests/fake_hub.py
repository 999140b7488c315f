#!/usr/bin/env python3
"""A stand-in for the Hugging Face Hub, for tests: the endpoints a download uses, on loopback only.

    python3 fake_hub.py [--log FILE] [--token T] [--drop-once FILE] [--corrupt FILE] [--slow BYTES_PER_S]
                        [--big-mb N] [--lifetime SECONDS]

Prints "HUB_PORT CDN_PORT" on its first line, then serves until --lifetime runs out (default 120 s):

  GET  /api/models/{repo}/revision/{rev}       the revision JSON ("sha", "siblings", ...) as the Hub sends it
  GET  /api/models/{repo}/tree/{rev}           the recursive tree listing (what huggingface_hub 2.x lists)
  HEAD|GET /{repo}/resolve/{rev}/{file}       small files: 200 with the git blob sha1 as ETag;
                                               LFS files: 302 to the "CDN" (http://localhost:CDN_PORT, another host)
                                               with X-Linked-Etag (the sha256) and X-Linked-Size
  HEAD|GET /lfs/{sha256}    (CDN port)         the LFS body, with Range support

Repos: tiny-org/tiny-llama (public), tiny-org/gated (401 GatedRepo unless "Authorization: Bearer T") and, with
--big-mb N, tiny-org/big (config.json and a random N MiB model.safetensors, for speed figures). Any other
repo is 404 RepoNotFound, another revision 404 RevisionNotFound. --drop-once FILE cuts the connection halfway through
FILE's body the first time it is sent; --corrupt FILE flips a byte of FILE's body. Every request is appended to the
--log file as a JSON line: server, method, path, range, authorization, bytes sent. Python standard library only.
"""

import argparse
import hashlib
import http.server
import json
import os
import socket
import sys
import threading
import time
import urllib.parse
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
COMMIT = hashlib.sha1(b"finetune-studio fake hub, tiny-llama").hexdigest()


def model_files():
    """The repo's files: a tiny sharded Llama from tests/data, and files a training pull must leave on the Hub."""
    files = {}
    shard_dir = DATA / "decoders" / "llama_sharded"
    for name in ("config.json", "generation_config.json", "model.safetensors.index.json",
                 "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                 "model-00003-of-00003.safetensors"):
        files[name] = (shard_dir / name).read_bytes()
    files["tokenizer.json"] = (DATA / "bpe" / "qwen2-style" / "tokenizer.json").read_bytes()
    files["tokenizer_config.json"] = json.dumps({"model_max_length": 64, "eos_token": "<|endoftext|>"}).encode()
    files["chat_template.jinja"] = (b"{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n"
                                    b"{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
    files["README.md"] = b"# tiny-llama\n\nA tiny model for tests.\n"
    files[".gitattributes"] = (b"*.safetensors filter=lfs diff=lfs merge=lfs -text\n*.bin filter=lfs\n"
                               b"*.onnx filter=lfs\n")
    files["pytorch_model.bin"] = bytes(range(256)) * 64
    files["onnx/model.onnx"] = b"onnx" * 4096
    return files


def is_lfs(name):
    return name.endswith((".safetensors", ".bin", ".onnx"))


def git_blob_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Hub:
    def __init__(self, args):
        self.args = args
        files = model_files()
        self.repos = {"tiny-org/tiny-llama": files, "tiny-org/gated": files}
        if args.big_mb:  # for speed figures: a config and one random model.safetensors of that many MiB
            self.repos["tiny-org/big"] = {"config.json": files["config.json"],
                                          "model.safetensors": os.urandom(int(args.big_mb * 2**20))}
        self.sha256 = {}
        self.by_sha256 = {}
        for repo in self.repos.values():
            for n, d in repo.items():
                if is_lfs(n):
                    self.sha256[(id(repo), n)] = h = hashlib.sha256(d).hexdigest()
                    self.by_sha256[h] = (n, d)
        self.dropped = set()
        self.lock = threading.Lock()
        self.cdn_port = 0

    def log(self, entry):
        if self.args.log:
            with self.lock, open(self.args.log, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def body(self, sha):
        name, data = self.by_sha256[sha]
        if name == self.args.corrupt:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        return data


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeHub/1.0"
    hub: Hub = None
    role = "hub"

    def log_message(self, *args):  # quiet; the JSON log says what happened
        pass

    def do_HEAD(self):
        self.route(head=True)

    def do_GET(self):
        self.route(head=False)

    # -- replies ---------------------------------------------------------------------------------------------------
    def entry(self, status, sent=0):
        self.hub.log({"server": self.role, "method": self.command, "path": self.path, "status": status,
                      "range": self.headers.get("Range"), "authorization": self.headers.get("Authorization"),
                      "sent": sent})

    def reply(self, status, headers, body=b"", head=False):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)
        self.entry(status, 0 if head else len(body))

    def error(self, status, code, message, head=False):
        body = json.dumps({"error": message}).encode()
        self.reply(status, {"Content-Type": "application/json", "X-Error-Code": code, "X-Error-Message": message},
                   body, head)

    def json(self, obj, head=False):
        self.reply(200, {"Content-Type": "application/json"}, json.dumps(obj).encode(), head)

    # -- routing -----------------------------------------------------------------------------------------------------
    def route(self, head):
        path = urllib.parse.urlsplit(self.path).path
        if self.role == "cdn":
            return self.cdn(path, head)
        parts = [urllib.parse.unquote(p) for p in path.split("/")[1:]]
        if parts[:2] == ["api", "models"] and len(parts) >= 6 and parts[4] in ("revision", "tree"):
            return self.api(parts[2] + "/" + parts[3], parts[4], "/".join(parts[5:]), head)
        if len(parts) >= 5 and parts[2] == "resolve":
            return self.resolve(parts[0] + "/" + parts[1], parts[3], "/".join(parts[4:]), head)
        self.error(404, "EntryNotFound", "Not found", head)

    def check_repo(self, repo, rev, head):
        """The commit for rev, or None after an error reply (the Hub's status codes and X-Error-Code)."""
        if repo not in self.hub.repos:
            self.error(404, "RepoNotFound", f"Repository Not Found for url: {self.path}.", head)
            return None
        if repo == "tiny-org/gated" and self.headers.get("Authorization") != f"Bearer {self.hub.args.token}":
            self.error(401, "GatedRepo", f"Access to model {repo} is restricted. You must have access to it and be "
                                         "authenticated to access it. Please log in.", head)
            return None
        if rev not in ("main", "v1.0", COMMIT):
            self.error(404, "RevisionNotFound", f"Invalid rev id: {rev}", head)
            return None
        return COMMIT

    def api(self, repo, kind, rev, head):
        commit = self.check_repo(repo, rev, head)
        if commit is None:
            return
        files = self.hub.repos[repo]
        if kind == "revision":
            return self.json({
                "_id": "0" * 24, "id": repo, "modelId": repo, "author": repo.split("/")[0], "sha": commit,
                "lastModified": "2026-01-01T00:00:00.000Z", "private": False, "gated": repo == "tiny-org/gated",
                "disabled": False, "downloads": 0, "likes": 0, "library_name": "transformers",
                "tags": ["transformers", "safetensors", "llama", "text-generation"],
                "pipeline_tag": "text-generation", "createdAt": "2026-01-01T00:00:00.000Z",
                "siblings": [{"rfilename": n} for n in sorted(files)], "spaces": [],
                "usedStorage": sum(len(d) for d in files.values())}, head)
        tree = [{"type": "directory", "oid": "1" * 40, "size": 0, "path": "onnx"}]
        for name in sorted(files):
            e = {"type": "file", "oid": git_blob_sha1(files[name]), "size": len(files[name]), "path": name}
            if is_lfs(name):
                e["lfs"] = {"oid": self.hub.sha256[(id(files), name)], "size": len(files[name]), "pointerSize": 134}
            tree.append(e)
        self.json(tree, head)

    def resolve(self, repo, rev, name, head):
        commit = self.check_repo(repo, rev, head)
        if commit is None:
            return
        files = self.hub.repos[repo]
        if name not in files:
            return self.error(404, "EntryNotFound", f"{name} does not exist on \"{rev}\"", head)
        data = files[name]
        common = {"X-Repo-Commit": commit, "Accept-Ranges": "bytes"}
        if is_lfs(name):
            sha = self.hub.sha256[(id(files), name)]
            location = f"http://localhost:{self.hub.cdn_port}/lfs/{sha}?name={urllib.parse.quote(name)}"
            return self.reply(302, {**common, "Location": location, "ETag": f'"{git_blob_sha1(data)}"',
                                    "X-Linked-Etag": f'"{sha}"', "X-Linked-Size": str(len(data))},
                              f"Found. Redirecting to {location}".encode(), head)
        self.send_body(data, {**common, "ETag": f'"{git_blob_sha1(data)}"'}, head)

    def cdn(self, path, head):
        sha = path.rsplit("/", 1)[-1]
        if sha not in self.hub.by_sha256:
            return self.reply(404, {}, b"NoSuchKey", head)
        name = self.hub.by_sha256[sha][0]
        self.send_body(self.hub.body(sha), {"ETag": f'"{sha}"', "Accept-Ranges": "bytes"}, head, name)

    def send_body(self, data, headers, head, name=None):
        start, status = 0, 200
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes=") and rng.endswith("-") and rng[6:-1].isdigit():
            start = int(rng[6:-1])
            if start >= len(data):
                return self.reply(416, {"Content-Range": f"bytes */{len(data)}"}, b"", head)
            status = 206
            headers = {**headers, "Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"}
        part = data[start:]
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(part)))
        self.end_headers()
        if head:
            return self.entry(status)
        cut = len(part)
        with self.hub.lock:
            if name is not None and name == self.hub.args.drop_once and name not in self.hub.dropped:
                self.hub.dropped.add(name)
                cut = len(data) // 2 - start
        sent = 0
        try:
            while sent < cut:
                n = min(8192 if self.hub.args.slow else 1 << 20, cut - sent)
                self.wfile.write(part[sent:sent + n])
                sent += n
                if self.hub.args.slow:
                    self.wfile.flush()
                    time.sleep(n / self.hub.args.slow)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.entry(status, sent)
        if cut < len(part):  # the connection drops mid-body, as a flaky network would
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True


def serve(hub, role):
    handler = type(f"{role}Handler", (Handler,), {"hub": hub, "role": role})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--log")
    p.add_argument("--token", default="hf_fake_token")
    p.add_argument("--drop-once")
    p.add_argument("--corrupt")
    p.add_argument("--slow", type=float, default=0)
    p.add_argument("--big-mb", type=float, default=0)
    p.add_argument("--lifetime", type=float, default=120)
    args = p.parse_args()
    hub = Hub(args)
    hub_port = serve(hub, "hub")
    hub.cdn_port = serve(hub, "cdn")
    print(hub_port, hub.cdn_port, flush=True)
    time.sleep(args.lifetime)  # bounded: a test that forgets to stop it does not leave it running
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
