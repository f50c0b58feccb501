import { ServiceProcess } from '../../support/service-process';

/** The real underwriter in a child process (see ServiceProcess). */
export type UnderwriterProcess = ServiceProcess;
export const UnderwriterProcess = {
  start: (env: Record<string, string>): Promise<UnderwriterProcess> =>
    ServiceProcess.start({ name: 'underwriter', readyLine: 'Underwriter is consuming', env }),
};
