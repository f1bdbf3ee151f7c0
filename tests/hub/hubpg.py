"""A throwaway PostgreSQL server for the hub's tests (docs/hub.md).

initdb + pg_ctl from /usr/lib/postgresql/<version>/bin in a temporary
directory, listening on a Unix socket there only.  PostgreSQL refuses to
run as root, so as root (CI) the server runs as `nobody`, through setpriv.
"""
import glob
import os
import pathlib
import shutil
import subprocess
import tempfile


def bindir() -> pathlib.Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    return pathlib.Path(found[-1]).parent


class Server:
    def __init__(self) -> None:
        self.bin = bindir()
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="ck-pg-"))
        self.data = self.dir / "data"
        self.socket = str(self.dir)
        self.root = os.getuid() == 0
        if self.root:
            os.chmod(self.dir, 0o777)
        self.superuser = "ckadmin"
        self._as_owner([str(self.bin / "initdb"), "-D", str(self.data), "-U",
                        self.superuser, "-A", "trust", "--no-sync",
                        "-E", "UTF8", "--locale=C"])
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"listen_addresses = ''\nunix_socket_directories = '{self.socket}'\n"
                       "fsync = off\nfull_page_writes = off\nmax_connections = 40\n")
        # Passwords for the roles the tests make; the superuser stays trusted.
        (self.data / "pg_hba.conf").write_text(
            f"local all {self.superuser} trust\nlocal all all scram-sha-256\n")
        self._as_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                        str(self.dir / "log"), "-w", "start"])

    def _as_owner(self, argv):
        if self.root:
            argv = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] + argv
        subprocess.run(argv, check=True, capture_output=True)

    def conninfo(self, dbname: str, user: str = None, password: str = None) -> str:
        s = f"host={self.socket} dbname={dbname} user={user or self.superuser}"
        return s + (f" password={password}" if password else "")

    def psql(self, dbname: str, sql: str, user: str = None, password: str = None,
             check: bool = True) -> subprocess.CompletedProcess:
        env = dict(os.environ, PGPASSWORD=password or "")
        return subprocess.run(
            [str(self.bin / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-h", self.socket, "-U", user or self.superuser, "-d", dbname, "-c", sql],
            check=check, capture_output=True, text=True, env=env)

    def createdb(self, name: str, owner: str = None) -> None:
        self.psql("postgres", f'CREATE DATABASE "{name}"' + (f' OWNER "{owner}"' if owner else ""))

    def stop(self) -> None:
        try:
            self._as_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m",
                            "immediate", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
