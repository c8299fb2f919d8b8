import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { ACTOR_TYPES, ActorType } from './enums';

export interface Actor {
  type: ActorType;
  id: string;
}

/**
 * The one envelope every Kafka message carries (CONTRACT §8). `causationId` is the event or request that
 * caused this one, so a dispute's history can be replayed as a tree; `disputeId` is null for payments.
 */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  version: number;
  occurredAt: string;
  disputeId: string | null;
  correlationId: string;
  causationId: string | null;
  actor: Actor;
  data: TData;
}

export class ActorDto implements Actor {
  @IsIn(ACTOR_TYPES)
  type: ActorType;

  @IsString()
  @IsNotEmpty()
  id: string;
}

/** Validates the envelope of an incoming message; the data is validated by the type's own class. */
export class EnvelopeDto implements EventEnvelope {
  @IsString() @IsNotEmpty() id: string;
  @IsString() @IsNotEmpty() type: string;
  @IsInt() @Min(1) version: number;
  @IsISO8601() occurredAt: string;
  @IsOptional() @IsString() disputeId: string | null;
  @IsString() @IsNotEmpty() correlationId: string;
  @IsOptional() @IsString() causationId: string | null;
  @ValidateNested() @Type(() => ActorDto) actor: ActorDto;
  @IsObject() data: unknown;
}
