"""The ten lines a new user copies: open, import, ask, read the words behind."""
import pathlib

import claimkit

pack = pathlib.Path(__file__).resolve().parents[1] / "deepseek-v4" / "claims.json"
with claimkit.open() as db:                  # claimkit.open("claims.db") keeps it
    db.import_pack(pack)
    print("cns on open/closed parity:", db.consensus("open-closed-parity", "cns"))
    print("label:", db.label("open-closed-parity"))
    print("DeepSeek behind the top lab in March:", db.gap("aa-index", "google", "deepseek"))
    print("两百多亿美元 means at most", db.quantity("两百多亿美元", part="hi"))
    print(db.views("open-closed-parity"))   # a DataFrame with pandas, else a list
