// The impl behind a QMP monitor (qmp/monitor.ts): a crash becomes the words QEMU prints as it dies, a hang silence.
import type { MonitorBackend } from '../qmp/monitor.ts';
import type { BlockLayer } from './block-layer.ts';

export function monitorBackend(layer: BlockLayer): MonitorBackend {
  return {
    execute(name, args) {
      const o = layer.execute(name, args);
      if (o.kind === 'qemu-hang') return { kind: 'qemu-hang' };
      return o.kind === 'qemu-abort' ? { kind: 'qemu-abort', stderr: o.crash.stderr } : o;
    },
  };
}
