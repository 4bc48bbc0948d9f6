//! One virtual appliance: qemu-system (TCG) booting the test system's kernel with no
//! network but a forwarded console port, and the three ways the test reaches it: QMP (the
//! screen, the keyboard, the tablet, the power), qemu's guest agent (commands inside, as
//! a technician's SSH would), and the files qemu writes on the host (speech as WAV, the
//! serial console's log).

use super::printer::Printer;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What the machine is built from: the cached test system (`vm/image.sh`, amd64), or a
/// Pi card image (`build-image.sh`, arm64).
pub struct Image {
    pub arch: Arch,
    pub kernel: PathBuf,
    pub initrd: PathBuf,
    /// The disk, a copy of the image that lives across boots (and power cuts).
    pub disk: PathBuf,
    /// The USB stick with the offline bundle, if any.
    pub stick: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Arch {
    /// A PC (q35), the test system on one ext4 disk; the printer on the second UART.
    Amd64,
    /// qemu's `virt` board with a Cortex-A72 (the Pi 4's core), booting a card image's
    /// kernel and root partition; the printer behind a USB serial adapter.
    Arm64,
}

pub struct Machine {
    qemu: Child,
    pub dir: PathBuf,
    pub width: u32,
    pub height: u32,
    /// The console's port on the host (forwarded to the guest's 8080).
    pub console_port: u16,
    /// A port on the host that the guest reaches as 10.0.2.100:8443 (a kiosk's console
    /// for the board role).
    pub board_port: u16,
    pub wav: PathBuf,
}

impl Machine {
    /// Boots the machine with a `width` × `height` virtio-gpu screen; `boot` numbers the
    /// boot (its WAV and log files).
    pub fn boot(image: &Image, dir: &Path, boot: u32, (width, height): (u32, u32), printer: &Printer) -> Machine {
        let path = |name: &str| dir.join(format!("{name}-{boot}"));
        for socket in ["qmp", "qga", "printer"] {
            let _ = std::fs::remove_file(path(socket));
        }
        let console_port = free_port();
        let wav = path("speech").with_extension("wav");
        let arg = |s: String| s;
        let (program, board, append) = match image.arch {
            Arch::Amd64 => ("qemu-system-x86_64", ["-machine", "q35"], "root=/dev/vda rw console=ttyS0 quiet"),
            Arch::Arm64 => (
                "qemu-system-aarch64",
                ["-machine", "virt,gic-version=2"],
                "root=LABEL=RASPIROOT rw console=ttyAMA0 net.ifnames=0 quiet",
            ),
        };
        let mut command = Command::new(program);
        command.args(board);
        if image.arch == Arch::Arm64 {
            command.args(["-cpu", "cortex-a72"]);
        }
        command.args(["-accel", "tcg", "-m", "2048", "-smp", "2", "-nodefaults", "-display", "none"]);
        // No VGA: the kiosk draws on the virtio card and the screendump shows that card.
        command.args(["-vga", "none", "-device", &format!("virtio-gpu-pci,xres={width},yres={height}")]);
        command.args(["-kernel"]).arg(&image.kernel).arg("-initrd").arg(&image.initrd);
        command.args(["-append", append]);
        command.args(["-drive", &arg(format!("file={},format=raw,if=virtio", image.disk.display()))]);
        command.args(["-device", "qemu-xhci"]);
        if let Some(stick) = &image.stick {
            command.args(["-device", "usb-storage,drive=stick"]);
            command.args(["-drive", &arg(format!("if=none,id=stick,format=raw,file={}", stick.display()))]);
        }
        command.args(["-device", "virtio-keyboard-pci", "-device", "virtio-tablet-pci"]);
        command.args(["-audiodev", &arg(format!("wav,id=snd0,path={}", wav.display()))]);
        command.args(["-device", "intel-hda", "-device", "hda-output,audiodev=snd0"]);
        command.args(["-chardev", &arg(format!("file,id=con,path={}", path("console.log").display()))]);
        command.args(["-serial", "chardev:con"]);
        command
            .args(["-chardev", &arg(format!("socket,id=prn,path={},server=on,wait=off", path("printer").display()))]);
        match image.arch {
            Arch::Amd64 => command.args(["-serial", "chardev:prn"]),
            Arch::Arm64 => command.args(["-device", "usb-serial,chardev=prn"]),
        };
        command.args(["-chardev", &arg(format!("socket,id=qga0,path={},server=on,wait=off", path("qga").display()))]);
        command.args([
            "-device",
            "virtio-serial-pci",
            "-device",
            "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0",
        ]);
        command.args(["-qmp", &arg(format!("unix:{},server=on,wait=off", path("qmp").display()))]);
        // A network to the host only (restrict=on: nothing beyond it), for the console.
        let board_port = free_port();
        let net = format!(
            "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:{console_port}-:8080,guestfwd=tcp:10.0.2.100:8443-cmd:nc 127.0.0.1 {board_port}"
        );
        command.args(["-netdev", &net, "-device", "virtio-net-pci,netdev=n0"]);
        let log = std::fs::File::create(path("qemu.log")).expect("qemu log");
        let qemu = command
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("{program} (apt-get install qemu-system-x86 qemu-system-arm): {e}"));
        let machine = Machine { qemu, dir: dir.to_path_buf(), width, height, console_port, board_port, wav };
        machine.wait_for_qmp(boot);
        printer.attach(&path("printer"));
        machine
    }

    fn qmp_path(&self) -> PathBuf {
        // The newest boot's socket: one machine per boot number.
        newest(&self.dir, "qmp-")
    }

    fn wait_for_qmp(&self, boot: u32) {
        let socket = self.dir.join(format!("qmp-{boot}"));
        let up = wait(Duration::from_secs(30), || socket.exists());
        assert!(up, "qemu did not open its QMP socket: {}", self.log(boot));
    }

    /// qemu's own messages for boot `boot`.
    pub fn log(&self, boot: u32) -> String {
        std::fs::read_to_string(self.dir.join(format!("qemu.log-{boot}"))).unwrap_or_default()
    }

    /// One QMP command; its `return`.
    pub fn qmp(&self, execute: &str, arguments: Value) -> Value {
        let stream = UnixStream::connect(self.qmp_path()).expect("QMP socket");
        stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut writer = stream;
        let mut line = String::new();
        reader.read_line(&mut line).expect("QMP greeting");
        let mut answer = |command: Value| -> Value {
            writeln!(writer, "{command}").expect("QMP write");
            loop {
                let mut line = String::new();
                assert!(reader.read_line(&mut line).expect("QMP read") > 0, "QMP closed");
                let v: Value = serde_json::from_str(&line).expect("QMP JSON");
                if v.get("event").is_some() {
                    continue;
                }
                assert!(v.get("error").is_none(), "QMP {command}: {v}");
                return v["return"].clone();
            }
        };
        answer(json!({"execute": "qmp_capabilities"}));
        answer(json!({"execute": execute, "arguments": arguments}))
    }

    /// The screen as the panel shows it (PNG, read as RGB).
    pub fn screen(&self) -> crate::xwd::Capture {
        let file = self.dir.join("screen.png");
        self.qmp("screendump", json!({"filename": file, "format": "png"}));
        crate::xwd::read_png(&file)
    }

    /// A key on the virtio keyboard (a qemu key code: "ret", "tab", "esc", "ctrl"…),
    /// several at once for a chord.
    pub fn key(&self, codes: &[&str]) {
        let keys: Vec<Value> = codes.iter().map(|c| json!({"type": "qcode", "data": c})).collect();
        self.qmp("send-key", json!({ "keys": keys }));
    }

    /// A click of the virtio tablet (an absolute pointer, like a mouse) at screen pixel
    /// (x, y).
    pub fn click(&self, x: f32, y: f32) {
        let abs = |axis: &str, v: f32, size: u32| json!({"type": "abs", "data": {"axis": axis, "value": (v / size as f32 * 32767.0) as i64}});
        let moved = [abs("x", x, self.width), abs("y", y, self.height)];
        self.qmp("input-send-event", json!({ "events": moved }));
        for down in [true, false] {
            self.qmp(
                "input-send-event",
                json!({"events": [{"type": "btn", "data": {"down": down, "button": "left"}}]}),
            );
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// A finger on the touch screen (the test's uinput panel inside the guest).
    pub fn touch(&self, x: f32, y: f32, held_ms: u32) {
        let (w, h) = (self.width, self.height);
        let line = format!("hold {x:.0} {y:.0} {w} {h} {held_ms}");
        let done = self.run(&format!("echo '{line}' > /run/vm-touch"), Duration::from_secs(20));
        assert_eq!(done.0, 0, "the touch did not reach vm-touch: {done:?}");
    }

    /// A shell command inside the guest, as root; (exit code, stdout, stderr).
    pub fn run(&self, script: &str, limit: Duration) -> (i64, String, String) {
        super::agent::run(&newest(&self.dir, "qga-"), script, limit)
    }

    /// Starts a command inside the guest without waiting for it.
    pub fn spawn(&self, script: &str) {
        super::agent::spawn(&newest(&self.dir, "qga-"), script)
    }

    /// Waits until the guest agent answers (the system has booted).
    pub fn wait_booted(&self, limit: Duration) {
        let socket = newest(&self.dir, "qga-");
        let up = wait(limit, || super::agent::ping(&socket));
        assert!(up, "the guest did not boot within {limit:?}; its console:\n{}", self.console_tail());
    }

    pub fn console_tail(&self) -> String {
        let log = std::fs::read_to_string(newest(&self.dir, "console.log-")).unwrap_or_default();
        log.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n")
    }

    /// Pulls the plug: qemu is killed, nothing is flushed or shut down.
    pub fn power_cut(mut self) {
        let _ = self.qemu.kill();
        let _ = self.qemu.wait();
    }

    /// A clean power-off (the guest shuts down), then qemu ends.
    pub fn shut_down(mut self) {
        self.spawn("sleep 1; systemctl poweroff");
        let ended = wait(Duration::from_secs(90), || self.qemu.try_wait().ok().flatten().is_some());
        if !ended {
            let _ = self.qemu.kill();
            let _ = self.qemu.wait();
        }
    }
}

impl Drop for Machine {
    fn drop(&mut self) {
        let _ = self.qemu.kill();
        let _ = self.qemu.wait();
    }
}

/// The newest file of `dir` whose name starts with `prefix` (this boot's socket or log).
fn newest(dir: &Path, prefix: &str) -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(dir)
        .expect("vm dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let n = name.strip_prefix(prefix)?.parse::<u32>().ok()?;
            Some((n, e.path()))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, p)| p).unwrap_or_else(|| dir.join(format!("{prefix}0")))
}

pub fn wait(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    cond()
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    l.local_addr().expect("port").port()
}
