import * as vscode from 'vscode';
import { noticeText } from '../display-text';
import type { ActiveCase } from '../case/active-case';
import type { ResultsPanels } from '../results/panels';
import type { Services } from '../services/ports';
import type { Explorer } from '../tree/explorer';
import type { Node } from '../tree/nodes';
import type { Target } from '../../core/target';
import { DEMO_PROFILE } from '../wizards/target';
import { profileRegions } from '../targets';
import { describeFailure } from '../errors';
import { SSO_LOGIN_COMMAND } from '../../sources/aws/sso-login';

/** What every command handler works with. */
export interface Investigation {
  services: () => Promise<Services>;
  explorer: Explorer;
  panels: ResultsPanels;
  cases: ActiveCase;
  memory: vscode.Memento;
}

/** The target a tree node stands for, when a command is run from its context menu. */
export function targetOfNode(node: Node | undefined): Target | undefined {
  switch (node?.type) {
    case 'profile':
      return { kind: 'live', profile: node.profile, regions: profileRegions(node.region) };
    case 'region':
    case 'trails':
      return { kind: 'live', profile: node.profile, regions: [node.region] };
    case 'trail':
      return { kind: 'live', profile: node.profile, regions: [node.trail.homeRegion ?? node.region] };
    case 'logGroups':
    case 'kind':
    case 'logGroup':
      return node.target;
    case 'store':
      return { kind: 'evidence', path: node.path };
    default:
      return undefined;
  }
}

export function isDemo(target: Target): boolean {
  return target.kind === 'live' && target.profile === DEMO_PROFILE;
}

/**
 * Runs a command and shows what went wrong in plain words. When the message names a command to run
 * (an expired SSO session: `aws sso login --profile NAME`), a button copies it. The command ends with
 * the failure; it does not wait for the notification to be dismissed.
 */
export function guarded<A extends unknown[]>(name: string, handler: (...args: A) => Promise<unknown>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await handler(...args);
    } catch (error) {
      const failure = describeFailure(error);
      if (failure.cancelled) return;
      const login = SSO_LOGIN_COMMAND.exec(failure.detail)?.[0];
      void vscode.window.showErrorMessage(noticeText(`${name}: ${failure.detail}`), ...(login ? ['Copy Command'] : [])).then(async (action) => {
        if (action && login) await vscode.env.clipboard.writeText(login);
      });
    }
  };
}
