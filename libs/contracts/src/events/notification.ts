export interface NotificationSentData {
  notificationId: string;
  customerId: string;
  type: string;
}

export interface WebhookDeliveryData {
  endpointId: string;
  merchantId: string;
  eventId: string;
  type: string;
  attempts: number;
}

export interface NotificationEventData {
  'notification.sent': NotificationSentData;
  'webhook.delivered': WebhookDeliveryData;
  'webhook.failed': WebhookDeliveryData;
}
