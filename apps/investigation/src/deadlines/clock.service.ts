import { Injectable } from '@nestjs/common';

/** The one clock deadlines read, so tests move time instead of sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
