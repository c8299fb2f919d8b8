import { Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { ALL_TOPICS, EventType, isKnownEventType, Topic, TOPIC_OF } from '@recourse/contracts';

/**
 * The topics a service consumes: those the contract publishes its handlers' event types on. Derived from
 * the handlers rather than kept in a list beside them, so a handler whose topic nobody subscribed to (it
 * would never fire) cannot exist, and a topic no handler needs is not fetched. A handler named for
 * anything but a contract event type could never be delivered either: the service refuses to start.
 */
export function consumedTopics(controllers: Iterable<Type>): Topic[] {
  const topics = new Set(handledEventTypes(controllers).map((type) => TOPIC_OF[type]));
  return ALL_TOPICS.filter((topic) => topics.has(topic));
}

/** The controllers of every module of an application: where Nest looks for message handlers too. */
export function controllersOf(modules: ModulesContainer): Type[] {
  return [...modules.values()].flatMap((module) => [...module.controllers.values()].map((wrapper) => wrapper.metatype as Type));
}

/**
 * The controllers (handlers included) of a module and of every module it imports, found without starting it:
 * what a service's consumed-topics test derives its topics from.
 */
export function moduleControllers(module: Type, seen = new Set<Type>()): Type[] {
  if (seen.has(module)) return [];
  seen.add(module);
  const imports: Type[] = Reflect.getMetadata(MODULE_METADATA.IMPORTS, module) ?? [];
  return [...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) ?? []), ...imports.flatMap((imported) => moduleControllers(imported, seen))];
}

/** The event types named by the handlers (`@OnEvent`, `@OnEventBatch`: Nest's pattern metadata) of `controllers`. */
function handledEventTypes(controllers: Iterable<Type>): EventType[] {
  const scanner = new MetadataScanner();
  const types = new Set<EventType>();
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, object>;
    for (const method of scanner.getAllMethodNames(prototype)) {
      const patterns: unknown = Reflect.getMetadata(PATTERN_METADATA, prototype[method]);
      for (const pattern of Array.isArray(patterns) ? (patterns as unknown[]) : []) {
        if (typeof pattern !== 'string' || !isKnownEventType(pattern)) {
          throw new Error(`${controller.name}.${method} handles ${JSON.stringify(pattern)}, which is no event type of the contract`);
        }
        types.add(pattern);
      }
    }
  }
  return [...types];
}
