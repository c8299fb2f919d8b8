import 'reflect-metadata';
import { bodyClassesOf, controllersOf, edgeValidationDisagreements } from '@recourse/platform';
import { IntakeModule } from './intake.module';

// Every request body of intake: the edge's compiled checks answer as Nest's ValidationPipe does (issue 16).
describe('intake request bodies at the edge', () => {
  const bodies = bodyClassesOf(controllersOf(IntakeModule));

  it.each(bodies.map((cls) => [cls.name, cls]))('%s: the same verdicts as Nest’s pipe on generated bodies', async (_name, cls) => {
    const { compiled, accepted, disagreements } = await edgeValidationDisagreements(cls);
    expect(disagreements).toEqual([]);
    // Every body takes the compiled check; a DTO beyond the compiler would fall back to Nest's pipe alone.
    expect(compiled).toBe(true);
    // Both verdicts were exercised.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(300);
  });
});
