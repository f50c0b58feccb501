import { ServiceProcess } from '../../support/service-process';

/** The real profiler in a child process (see ServiceProcess). */
export type ProfilerProcess = ServiceProcess;
export const ProfilerProcess = {
  start: (env: Record<string, string>): Promise<ProfilerProcess> =>
    ServiceProcess.start({ name: 'profiler', readyLine: 'Profiler is consuming', env }),
};
