// The topics a service subscribes to come from its handlers, read where Nest reads them (every module's
// controllers), in the contract's topic order; a handler for no contract event type stops the boot.
import { Controller, Inject, Injectable, Module } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import { Event, Topic, Topics } from '@recourse/contracts';
import { consumedTopics, controllersOf } from './consumed-topics';
import { EventBatchOf, OnEvent, OnEventBatch } from './on-event';

@Controller()
class RefundNews {
  @OnEventBatch(['refund.succeeded', 'refund.failed'])
  onRefunds({ events }: EventBatchOf<'refund.succeeded' | 'refund.failed'>): void {
    void events;
  }
}

@Controller()
class Decisions {
  @OnEvent('case.decided')
  onDecided(event: Event<'case.decided'>): void {
    void event;
  }

  @OnEvent('payment.recorded')
  onPayment(event: Event<'payment.recorded'>): void {
    void event;
  }
}

@Module({ controllers: [Decisions] })
class DecisionsModule {}

const TOPICS = Symbol('TOPICS');

@Injectable()
class Subscriptions {
  constructor(@Inject(TOPICS) readonly topics: Topic[]) {}
}

@Module({
  imports: [DecisionsModule],
  controllers: [RefundNews],
  providers: [{ provide: TOPICS, useFactory: (modules: ModulesContainer) => consumedTopics(controllersOf(modules)), inject: [ModulesContainer] }, Subscriptions],
})
class ServiceModule {}

describe('consumedTopics', () => {
  it("derives the topics from the handlers of every module's controllers, in the contract's order, each once", async () => {
    const app = await NestFactory.createApplicationContext(ServiceModule, { logger: false });
    try {
      expect(app.get(Subscriptions).topics).toEqual([Topics.payments, Topics.investigation, Topics.refund]);
    } finally {
      await app.close();
    }
  });

  it('is empty for a service without handlers', () => {
    expect(consumedTopics([])).toEqual([]);
  });

  it('refuses a handler for anything but a contract event type: it could never be delivered', () => {
    @Controller()
    class Stray {
      @EventPattern('case.decidedd')
      onTypo(): void {}
    }
    expect(() => consumedTopics([Decisions, Stray])).toThrow("Stray.onTypo handles \"case.decidedd\", which is no event type of the contract");
  });
});
