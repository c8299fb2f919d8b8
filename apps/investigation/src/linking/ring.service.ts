import { Injectable } from '@nestjs/common';
import { Event } from '@recourse/contracts';
import { EntityManager } from 'typeorm';
import { CaseWriter } from '../cases/case-writer.service';
import { CommittedRingFlag, RING_ALERT_ACTION } from './ring-flags.rules';
import { RingRepository } from './ring.repository';
import { DeviceRingHistory, FRAUD_RING_FLAG } from './ring.rules';

/**
 * Fraud rings at triage (CONTRACT §12), for the opening batch: what it reads of its devices' rings before planning,
 * and the committed cases its plan flags. A batch without an unrecognised charge that named a device sends nothing.
 */
@Injectable()
export class FraudRingService {
  constructor(
    private readonly rings: RingRepository,
    private readonly writer: CaseWriter,
  ) {}

  /** Locks the devices of the run's unrecognised charges (RingRepository.lock), then reads their rings: two statements. */
  async history(manager: EntityManager, events: readonly Event<'dispute.submitted'>[]): Promise<Map<string, DeviceRingHistory>> {
    const devices = events.flatMap((event) => (event.data.reason === 'unrecognized_charge' && event.data.payment.device?.id ? [event.data.payment.device.id] : []));
    if (devices.length === 0) return new Map();
    await this.rings.lock(manager, devices);
    return this.rings.read(manager, devices);
  }

  /**
   * Flags the committed cases the run's rings reached, each under its row lock through the state machine with its
   * audit entry (rare: only the members of a ring before it formed). Their `case.security_alert` events are in the
   * plan's events already, in the order opening the run one dispute at a time would give.
   */
  async flagCommitted(manager: EntityManager, flags: readonly CommittedRingFlag[]): Promise<void> {
    for (const flag of flags) {
      const row = await this.writer.lock(manager, flag.caseId);
      await this.writer.change(manager, row, { type: 'flag', flag: FRAUD_RING_FLAG }, { actor: flag.actor, action: RING_ALERT_ACTION, data: flag.data });
    }
  }
}
