import { CaseSecurityAlertData, DisputeReason, FraudRingCluster } from '@recourse/contracts';

/** CONTRACT §12: unrecognised-charge cases of this many different customers on one device are a fraud ring. */
export const RING_MIN_CUSTOMERS = 3;
/** The most customers a cluster names (the first in id order), so an alert stays small however large the ring. */
export const RING_CLUSTER_MAX = 100;
/** The most earlier cases a new case flags at once; more exist only with cases older than ring detection. */
export const RING_FLAG_MAX = 100;
export const FRAUD_RING_FLAG = 'fraud_ring';

/** A case that may belong to a ring: an unrecognised charge whose payment named its device. */
export interface RingMember {
  caseId: string;
  customerId: string;
  paymentId: string;
}

/** What the cases committed before a run say of one device (read under the device's lock, RingRepository). */
export interface DeviceRingHistory {
  /** The customers of its unrecognised-charge cases, in id order, at most RING_CLUSTER_MAX. */
  customers: string[];
  /** Its unrecognised-charge cases not yet flagged, at most RING_FLAG_MAX. */
  unflagged: RingMember[];
}

/** A new case in a ring: the cluster as it stands, and the earlier members it flags now (the run's or committed). */
export interface RingJoin {
  cluster: FraudRingCluster;
  earlier: (RingMember & { committed: boolean })[];
}

/** Ids in UTF-8 byte order, the order the ring read walks its index in (COLLATE "C"). */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

interface DeviceState {
  customers: Set<string>;
  unflagged: (RingMember & { committed: boolean })[];
}

/**
 * Follows the rings of a run's devices as opening its cases one at a time would: each new unrecognised charge counts
 * the device's committed cases and the run's earlier ones. The case that brings the third customer forms the ring
 * and flags every earlier member not yet flagged; each later case joins it flagged.
 */
export class RingTracker {
  private readonly devices = new Map<string, DeviceState>();

  constructor(private readonly history: ReadonlyMap<string, DeviceRingHistory>) {}

  open(candidate: RingMember & { reason: DisputeReason; deviceId?: string }): RingJoin | null {
    const { reason, deviceId, ...member } = candidate;
    if (reason !== 'unrecognized_charge' || !deviceId) return null;
    const device = this.device(deviceId);
    device.customers.add(member.customerId);
    if (device.customers.size < RING_MIN_CUSTOMERS) {
      device.unflagged.push({ ...member, committed: false });
      return null;
    }
    const earlier = device.unflagged;
    device.unflagged = [];
    // The committed customers read are the first RING_CLUSTER_MAX in id order, so the union's first are among them and the run's.
    const customerIds = [...device.customers].sort(byteOrder).slice(0, RING_CLUSTER_MAX);
    return { cluster: { deviceId, customerIds }, earlier };
  }

  private device(deviceId: string): DeviceState {
    let device = this.devices.get(deviceId);
    if (!device) {
      const known = this.history.get(deviceId);
      device = { customers: new Set(known?.customers ?? []), unflagged: (known?.unflagged ?? []).map((member) => ({ ...member, committed: true })) };
      this.devices.set(deviceId, device);
    }
    return device;
  }
}

const TAKEOVER = 'possible account takeover: the customer does not recognise a charge';
const RING = 'fraud ring: unrecognised charges of three or more customers from one device';

/**
 * A `case.security_alert`'s data: the account-takeover alert every unrecognised charge raises (CONTRACT §5), the fraud
 * ring's (with its cluster), or both in one event when a new case is both.
 */
export function securityAlertData(input: { customerId: string; paymentId: string; takeover: boolean; cluster?: FraudRingCluster }): CaseSecurityAlertData {
  const reason = [input.takeover ? TAKEOVER : null, input.cluster ? RING : null].filter(Boolean).join('; ');
  return { customerId: input.customerId, paymentId: input.paymentId, reason, ...(input.cluster ? { cluster: input.cluster } : {}) };
}
