"""Adds one layer to a docker-archive image tarball, reproducibly (deploy/images/train-aot.sh).

Usage: add-layer.py BASE_TAR LAYER_ROOT OUTPUT_TAR HISTORY_LINE

LAYER_ROOT's files become the new top layer, owned by root, their times SOURCE_DATE_EPOCH; the
config's diff_ids and history and the manifest get the layer. The output is a docker-archive
tarball Jib takes as a base (tar://) and podman loads.
"""

import hashlib
import io
import json
import os
import sys
import tarfile
import time

EPOCH = int(os.environ.get("SOURCE_DATE_EPOCH", "1796083200"))


def layer_bytes(root):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            rel = os.path.relpath(dirpath, root)
            names = [] if rel == "." else [rel]
            for name in names + [os.path.join(rel, f) for f in sorted(filenames)]:
                info = tar.gettarinfo(os.path.join(root, name), arcname=name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mtime = EPOCH
                if info.isfile():
                    with open(os.path.join(root, name), "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
    return buf.getvalue()


def add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = EPOCH
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def main(base, layer_root, output, history):
    with tarfile.open(base) as src:
        members = {m.name.removeprefix("./"): m for m in src.getmembers() if m.isfile()}
        manifest = json.load(src.extractfile(members["manifest.json"]))
        entry = manifest[0]
        config = json.load(src.extractfile(members[entry["Config"]]))
        layer = layer_bytes(layer_root)
        diff_id = hashlib.sha256(layer).hexdigest()
        config["rootfs"]["diff_ids"].append("sha256:" + diff_id)
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(EPOCH))
        config.setdefault("history", []).append({"created": created, "created_by": history})
        config_bytes = json.dumps(config, separators=(",", ":")).encode()
        config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
        entry["Config"] = config_name
        entry["Layers"] = entry["Layers"] + [diff_id + "/layer.tar"]
        tmp = output + ".part"
        with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as out:
            for name in entry["Layers"][:-1]:
                m = members[name]
                info = tarfile.TarInfo(name)
                info.size = m.size
                info.mtime = EPOCH
                info.mode = 0o644
                out.addfile(info, src.extractfile(m))
            add(out, entry["Layers"][-1], layer)
            add(out, config_name, config_bytes)
            add(out, "manifest.json", json.dumps([entry], separators=(",", ":")).encode())
        os.replace(tmp, output)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
