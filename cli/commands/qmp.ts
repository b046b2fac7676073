// `bgcheck qmp`: the impl behind a QMP monitor on stdin/stdout, over the images in the current directory.
import type { Command } from 'commander';
import { BlockLayer } from '../../impl/block-layer.ts';
import { DiskImageStore } from '../../impl/images/disk.ts';
import { monitorBackend } from '../../impl/monitor-backend.ts';
import { QmpMonitor } from '../../qmp/monitor.ts';

export function registerQmp(program: Command, setCode: (c: number) => void): void {
  program
    .command('qmp')
    .description('serve the impl as a QMP monitor on stdio (like qemu-storage-daemon --monitor)')
    .action(async () => {
      const layer = new BlockLayer(new DiskImageStore(process.cwd()));
      const code = await serveStdio(layer);
      setCode(code);
    });
}

function serveStdio(layer: BlockLayer): Promise<number> {
  return new Promise((resolve) => {
    let finished = false;
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      process.stdin.pause();
      // stdin keeps the event loop alive; a daemon that quits or aborts ends at once.
      process.stdout.write('', () => {
        resolve(code);
        process.exit(code);
      });
    };
    const monitor = new QmpMonitor(monitorBackend(layer), {
      // QEMU's stdio chardev ends every line with CR LF
      out: (line) => void process.stdout.write(line + '\r\n'),
      err: (text) => void process.stderr.write(text),
      exit: finish,
      now: () => {
        const ms = Date.now();
        return { seconds: Math.floor(ms / 1000), microseconds: (ms % 1000) * 1000 };
      },
    });
    // bytes, not text: QEMU's lexer sees invalid UTF-8 as it is
    process.stdin.on('data', (chunk: Buffer) => monitor.feed(chunk));
    process.stdin.on('end', () => finish(0));
    // a client that closed our stdout is gone: stop quietly (EPIPE), as there is no one left to answer
    process.stdout.on('error', () => {
      finished = true;
      resolve(0);
      process.exit(0);
    });
  });
}
