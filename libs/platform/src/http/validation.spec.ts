import 'reflect-metadata';
import { Body, Controller, Param, Post, ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';
import { AttachmentDto } from '../attachments/attachments';
import { bodyClassesOf, edgeValidationDisagreements } from './edge-validation-agreement';
import { ProblemException } from './problem';
import { EdgeValidationPipe } from './validation';

class Contact {
  @IsOptional() @IsEmail() email?: string;
}
class Filing {
  @IsString() @Length(1, 20) paymentId: string;
  @IsIn(['a', 'b']) reason: string;
  @IsOptional() @IsInt() @Min(1) amount?: number;
  @IsOptional() @ValidateNested() @Type(() => Contact) contact?: Contact;
  @IsOptional() @IsArray() @ArrayMaxSize(2) @ValidateNested({ each: true }) @Type(() => AttachmentDto) attachments?: AttachmentDto[];
  @IsOptional() @IsIn(['x', 'y'], { each: true }) tags?: string[];
}
class Untyped {
  anything?: string;
}

@Controller('filings')
class FilingsController {
  @Post(':id') file(@Param('id') _id: string, @Body() _body: Filing): void {}
  @Post() loose(@Body() _body: Record<string, unknown>): void {}
}

describe('EdgeValidationPipe', () => {
  const pipe = new EdgeValidationPipe();
  const body = { type: 'body' as const, metatype: Filing };

  it('answers as Nest’s ValidationPipe does on generated bodies: the same instances, the same problems', async () => {
    const { accepted, disagreements } = await edgeValidationDisagreements(Filing, 600);
    expect(disagreements).toEqual([]);
    // Both sides of the verdict were exercised.
    expect(accepted).toBeGreaterThan(30);
    expect(accepted).toBeLessThan(570);
  });

  it('turns an accepted body into its DTO without Nest’s pipe, and names every bad field of a refused one', async () => {
    const slow = jest.spyOn(ValidationPipe.prototype, 'transform');
    const accepted = await pipe.transform({ paymentId: 'p1', reason: 'a', contact: { email: 'a@b.cn' } }, body);
    expect(accepted).toBeInstanceOf(Filing);
    expect((accepted as Filing).contact).toBeInstanceOf(Contact);
    expect(slow).not.toHaveBeenCalled();
    const refused = await pipe.transform({ paymentId: '', reason: 'c', extra: 1 }, body).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProblemException);
    expect(JSON.stringify((refused as ProblemException).errors)).toMatch(/paymentId[\s\S]*reason|reason[\s\S]*paymentId/);
    expect(JSON.stringify((refused as ProblemException).errors)).toContain('extra');
    expect(slow).toHaveBeenCalledTimes(1);
    slow.mockRestore();
  });

  it('leaves to Nest’s pipe what it cannot compile, and what is not a body', async () => {
    await expect(pipe.transform({ anything: 'x' }, { type: 'body', metatype: Untyped })).rejects.toBeInstanceOf(ProblemException);
    await expect(pipe.transform('42', { type: 'param', metatype: String, data: 'id' })).resolves.toBe('42');
  });

  it('finds the DTO of every @Body() of a controller', () => {
    expect(bodyClassesOf([FilingsController])).toEqual([Filing]);
  });
});
