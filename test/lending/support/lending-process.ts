import { ServiceProcess } from '../../support/service-process';

/** The real lending app (apps/lending/src/main.ts) in a child process (see ServiceProcess). */
export type LendingProcess = ServiceProcess;
export const LendingProcess = {
  start: (env: Record<string, string>): Promise<LendingProcess> =>
    ServiceProcess.start({ name: 'lending', readyLine: 'Lending is consuming', env }),
};
