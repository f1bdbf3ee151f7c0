"""A headless LibreOffice for scripts and tests: its own profile, its own
process group, reached over a pipe with Debian's python3-uno.

    with Office(profile_dir, env) as office:
        office.install("build/test/bindings/libreoffice/claimkit.oxt")
    with Office(profile_dir, env) as office:   # a new start sees the add-in
        doc = office.new_calc()

Installing as root: `unopkg add` refuses a user install, so the extension
goes into the profile through the ExtensionManager API.
"""
import os
import signal
import subprocess
import time
import uuid

import uno
import unohelper
from com.sun.star.beans import PropertyValue
from com.sun.star.task import XInteractionHandler
from com.sun.star.ucb import XCommandEnvironment, XProgressHandler

SOFFICE = "/usr/bin/soffice"


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


class _Approve(unohelper.Base, XInteractionHandler):
    """Approves what the extension manager asks, as `unopkg add` does."""

    def handle(self, request):
        approve = uno.getTypeByName("com.sun.star.task.XInteractionApprove")
        for choice in request.getContinuations():
            if choice.queryInterface(approve):
                choice.select()
                return


class _Quiet(unohelper.Base, XProgressHandler):
    def push(self, status):
        pass

    def update(self, status):
        pass

    def pop(self):
        pass


class _Environment(unohelper.Base, XCommandEnvironment):
    def getInteractionHandler(self):
        return _Approve()

    def getProgressHandler(self):
        return _Quiet()


class Office:
    def __init__(self, profile, env=None, timeout=120):
        self.profile = os.path.abspath(profile)
        self.env = dict(os.environ if env is None else env)
        self.timeout = timeout
        self.pipe = "claimkit_" + uuid.uuid4().hex
        self.proc = None
        self.ctx = None

    def __enter__(self):
        profile_url = uno.systemPathToFileUrl(self.profile)
        if not os.path.isdir(self.profile):
            # a fresh profile is made once, then used
            subprocess.run([SOFFICE, "--headless", "--terminate_after_init",
                            f"-env:UserInstallation={profile_url}"],
                           env=self.env, check=True, timeout=self.timeout,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.proc = subprocess.Popen(
            [SOFFICE, "--headless", "--invisible", "--nologo", "--norestore",
             "--nodefault", f"-env:UserInstallation={profile_url}",
             f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext"],
            env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.time() + self.timeout
        while True:
            try:
                self.ctx = resolver.resolve(
                    f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    self._kill()
                    raise RuntimeError("LibreOffice did not start")
                time.sleep(0.3)
        self.smgr = self.ctx.ServiceManager
        self.desktop = self.smgr.createInstanceWithContext(
            "com.sun.star.frame.Desktop", self.ctx)
        return self

    def __exit__(self, *exc):
        try:
            self.desktop.terminate()
        except Exception:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        self._kill()

    def _kill(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()

    def install(self, oxt):
        """Installs an extension into this profile (user repository)."""
        manager = self.ctx.getValueByName(
            "/singletons/com.sun.star.deployment.ExtensionManager")
        url = uno.systemPathToFileUrl(os.path.abspath(oxt))
        manager.addExtension(url, (), "user", manager.createAbortChannel(),
                             _Environment())

    def new_calc(self):
        return self.desktop.loadComponentFromURL(
            "private:factory/scalc", "_blank", 0, (prop("Hidden", True),))

    def open(self, path):
        return self.desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0,
            (prop("Hidden", True),))

    def save(self, doc, path, filter_name=None, **options):
        args = [prop("Overwrite", True)]
        if filter_name:
            args.append(prop("FilterName", filter_name))
        for key, value in options.items():
            args.append(prop(key, value))
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(path)), tuple(args))
