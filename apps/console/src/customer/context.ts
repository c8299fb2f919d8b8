// What every part of the customer page reads: the services as this customer, and the page's language.
import { createContext, useContext } from 'react';
import type { IntakeSchemas, NotificationSchemas, RecourseClient } from '@recourse/client';
import type { Locale, Words } from './i18n';

export type Payment = IntakeSchemas['PaymentView'];
export type Dispute = IntakeSchemas['DisputeView'];
export type Notification = NotificationSchemas['NotificationView'];

export interface Customer extends Words {
  client: RecourseClient;
  locale: Locale;
}

export const CustomerContext = createContext<Customer | null>(null);

export function useCustomer(): Customer {
  const customer = useContext(CustomerContext);
  if (!customer) throw new Error('useCustomer outside CustomerContext');
  return customer;
}
