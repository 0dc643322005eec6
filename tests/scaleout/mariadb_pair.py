"""A private MariaDB primary and replica for the read-replica tests: two ``mariadbd`` on their own data
directories and loopback ports, the replica following the primary's binlog (GTID)."""

import shutil
import subprocess
from pathlib import Path

from .servers import Process, free_port, wait_for

MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"


class MariaDB:
    def __init__(self, datadir: Path, server_id: int, *, binlog: bool):
        self.datadir, self.server_id, self.binlog = datadir, server_id, binlog
        self.port, self.process = free_port(), None

    @property
    def socket(self) -> str:
        return str(self.datadir / "mysqld.sock")

    def url(self, database: str) -> str:
        return f"mysql://root@127.0.0.1:{self.port}/{database}"

    def start(self):
        # A private temporary directory: at start-up mariadbd deletes the #sql* files it finds in its tmpdir, which
        # by default is /tmp, where the machine's own server keeps the temporary tables of its running statements.
        tmpdir = self.datadir.parent / f"tmp-{self.server_id}"
        tmpdir.mkdir(exist_ok=True)
        command = [MARIADBD, "--no-defaults", f"--datadir={self.datadir}", f"--tmpdir={tmpdir}", f"--port={self.port}",
                   "--bind-address=127.0.0.1", f"--socket={self.socket}", f"--pid-file={self.datadir}/mysqld.pid",
                   "--user=root", f"--server-id={self.server_id}", "--innodb-buffer-pool-size=32M",
                   "--skip-name-resolve", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
                   f"--log-error={self.datadir}/error.log"]  # fmt: skip
        if self.binlog:
            command += [f"--log-bin={self.datadir}/binlog", "--binlog-format=ROW"]
        self.process = Process(command, log=self.datadir.parent / f"mariadbd-{self.server_id}.log")
        wait_for(lambda: Path(self.socket).exists() and self.sql("SELECT 1", socket=True) == "1", seconds=60,
                 what=f"mariadbd {self.server_id}", process=self.process.popen,
                 log=self.datadir / "error.log")  # fmt: skip
        # The store connects over TCP as root from 127.0.0.1, and so does the replica; not replicated.
        self.sql("SET sql_log_bin=0; CREATE USER IF NOT EXISTS root@'127.0.0.1';"
                 "GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION", socket=True)  # fmt: skip

    def stop(self):
        if self.process is not None:
            self.process.stop()
            self.process = None

    def sql(self, statement: str, *, database: str = "", socket: bool = False) -> str:
        where = [f"--socket={self.socket}"] if socket else ["-h", "127.0.0.1", "-P", str(self.port)]
        result = subprocess.run(
            ["mariadb", "--no-defaults", *where, "-u", "root", "-N", "-B", "-e", statement, *([database] if database
             else [])], capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        return result.stdout.strip()


def replicated_pair(directory: Path) -> tuple[MariaDB, MariaDB]:
    """A fresh primary and a replica of it (one mariadb-install-db, its data directory copied), replicating."""
    primary_dir = directory / "primary"
    subprocess.run(
        [INSTALL_DB, "--no-defaults", f"--datadir={primary_dir}", f"--tmpdir={primary_dir.parent}", "--user=root",
         "--auth-root-authentication-method=normal",
         "--skip-test-db", "--skip-name-resolve"], capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    shutil.copytree(primary_dir, directory / "replica")
    primary = MariaDB(primary_dir, 1, binlog=True)
    replica = MariaDB(directory / "replica", 2, binlog=False)
    primary.start()
    replica.start()
    replica.sql(
        f"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={primary.port}, MASTER_USER='root', "
        "MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos; START SLAVE"
    )
    return primary, replica


def caught_up(primary: MariaDB, replica: MariaDB) -> bool:
    position = primary.sql("SELECT @@gtid_binlog_pos")
    return replica.sql(f"SELECT MASTER_GTID_WAIT('{position}', 10)") == "0"
