"""Key sets of the Hostaway objects the sandbox serves, taken from the official example payloads.

Generators start from ``blank(KEYS)`` and fill values, so every object carries exactly the
documented keys (nulls where Hostaway typically sends null).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def _keys(names: str) -> tuple[str, ...]:
    return tuple(names.split())


LISTING_KEYS = _keys(
    """id propertyTypeId name externalListingName internalListingName description houseRules
    keyPickup specialInstruction doorSecurityCode country countryCode state city street address
    publicAddress zipcode price starRating averageReviewRating weeklyDiscount monthlyDiscount
    propertyRentTax guestPerPersonPerNightTax guestStayTax guestNightlyTax guestBathroomsNumber
    refundableDamageDeposit personCapacity maxChildrenAllowed maxInfantsAllowed maxPetsAllowed lat
    lng checkInTimeStart checkInTimeEnd checkOutTime cancellationPolicy cancellationPolicyId
    vrboCancellationPolicyId airbnbCancellationPolicyId marriottCancellationPolicyId
    bookingCancellationPolicyId squareMeters specialStatus roomType bathroomType bedroomsNumber
    bedsNumber bedType bathroomsNumber minNights maxNights guestsIncluded cleaningFee
    priceForExtraPerson instantBookable instantBookableLeadTime allowSameDayBooking
    sameDayBookingLeadTime contactName contactSurName contactPhone1 contactPhone2 contactLanguage
    contactEmail contactAddress language currencyCode timeZoneName wifiUsername wifiPassword
    cleannessStatus cleaningInstruction cleannessStatusUpdatedOn homeawayPropertyName
    homeawayPropertyHeadline homeawayPropertyDescription bookingcomPropertyName
    bookingcomPropertyDescription invoicingContactName invoicingContactSurName
    invoicingContactPhone1 invoicingContactPhone2 invoicingContactLanguage invoicingContactEmail
    invoicingContactAddress invoicingContactCity invoicingContactZipcode invoicingContactCountry
    propertyLicenseNumber propertyLicenseType propertyLicenseIssueDate
    propertyLicenseExpirationDate partnersListingMarkup airbnbOfficialListingMarkup
    bookingEngineMarkup homeawayApiMarkup marriottListingMarkup isRentalAgreementActive
    listingAgreementText bookingcomPropertyRegisteredInVcs bookingcomPropertyHasVat
    bookingcomPropertyDeclaresRevenue airbnbListingUrl vrboListingUrl googleVrListingUrl airbnbName
    airbnbSummary airbnbSpace airbnbAccess airbnbInteraction airbnbNeighborhoodOverview
    airbnbTransit airbnbNotes insuranceEligibilityStatus listingAmenities listingBedTypes
    listingImages customFieldValues"""
)
# Arrays that stay empty unless the request has includeResources=1.
LISTING_RESOURCE_KEYS = (
    "listingAmenities",
    "listingBedTypes",
    "listingImages",
    "customFieldValues",
)

# The documented reservation object plus listingName/insertedOn/updatedOn/latestActivityOn, which
# real responses carry (the list's default order is updatedOn).
RESERVATION_KEYS = _keys(
    """id listingMapId listingName channelId source channelName reservationId
    hostawayReservationId channelReservationId externalPropertyId externalRatePlanId
    externalUnitId assigneeUserId manualIcalId manualIcalName isProcessed isInitial
    isManuallyChecked isInstantBooked hasPullError reservationDate pendingExpireDate guestName
    guestFirstName guestLastName guestExternalAccountId guestZipCode guestAddress guestCity
    guestCountry guestEmail guestPicture guestRecommendations guestTrips guestWork
    isGuestIdentityVerified isGuestVerifiedByEmail isGuestVerifiedByWorkEmail
    isGuestVerifiedByFacebook isGuestVerifiedByGovernmentId isGuestVerifiedByPhone
    isGuestVerifiedByReviews numberOfGuests adults children infants pets arrivalDate departureDate
    isDatesUnspecified previousArrivalDate previousDepartureDate checkInTime checkOutTime nights
    phone totalPrice taxAmount channelCommissionAmount hostawayCommissionAmount cleaningFee
    securityDepositFee isPaid paymentMethod stripeGuestId currency status cancellationDate
    cancelledBy hostNote guestNote guestLocale doorCode doorCodeVendor doorCodeInstruction comment
    confirmationCode airbnbExpectedPayoutAmount airbnbListingBasePrice
    airbnbListingCancellationHostFee airbnbListingCancellationPayout airbnbListingCleaningFee
    airbnbListingHostFee airbnbListingSecurityPrice airbnbOccupancyTaxAmountPaidToHost
    airbnbTotalPaidAmount airbnbTransientOccupancyTaxPaidAmount airbnbCancellationPolicy isStarred
    isArchived isPinned originalChannel customerUserId rentalAgreementFileUrl reservationAgreement
    remainingBalance insuranceStatus claimStatus insurancePolicyId cancellationPolicyId
    cancellationPolicy bookingCancellationPolicy vrboCancellationPolicy marriottCancellationPolicy
    cancellationPolicyDetails hostProxyEmail bookingcomSpecialRequests bookingcomSmokingPreference
    bookingcomIsGeniusMember bookingcomBookerName bookingcomBookerCompany
    bookingcomNoShowReportedAt bookingcomNoShowFeeWaived customFieldValues financeField insertedOn
    updatedOn latestActivityOn"""
)

# The reservation as embedded in a calendar day (includeResources=1).
CALENDAR_RESERVATION_KEYS = _keys(
    """id listingMapId channelId channelName reservationId externalPropertyId externalRatePlanId
    externalUnitId externalRuid manualIcalId manualIcalName isProcessed isManuallyChecked
    isInstantBooked hasPullError reservationDate pendingExpireDate guestName guestFirstName
    guestLastName guestExternalAccountId guestCity guestCountry guestEmail guestPicture
    numberOfGuests adults children infants pets arrivalDate departureDate previousArrivalDate
    previousDepartureDate checkInTime checkOutTime nights phone totalPrice taxAmount
    channelCommissionAmount hostawayCommissionAmount cleaningFee securityDepositFee isPaid
    paymentMethod stripeGuestId currency status hostNote guestNote comment"""
)

# The reservation as embedded in a conversation (the `Reservation` key).
CONVERSATION_RESERVATION_KEYS = _keys(
    """listingMapId listingName channelId source channelName reservationId hostawayReservationId
    channelReservationId externalPropertyId externalRatePlanId externalUnitId assigneeUserId
    customerIcalId customerIcalName isProcessed isManuallyChecked isInstantBooked reservationDate
    pendingExpireDate guestName guestFirstName guestLastName guestExternalAccountId guestZipCode
    guestAddress guestCity guestCountry guestEmail guestPicture guestRecommendations guestTrips
    guestWork isGuestIdentityVerified isGuestVerifiedByEmail isGuestVerifiedByWorkEmail
    isGuestVerifiedByFacebook isGuestVerifiedByGovernmentId isGuestVerifiedByPhone
    isGuestVerifiedByReviews numberOfGuests adults children infants pets arrivalDate departureDate
    previousArrivalDate previousDepartureDate checkInTime checkOutTime nights phone totalPrice
    taxAmount channelCommissionAmount hostawayCommissionAmount cleaningFee securityDepositFee
    isPaid paymentMethod stripeGuestId currency status cancellationDate cancelledBy hostNote
    guestNote doorCode doorCodeVendor doorCodeInstruction comment confirmationCode isStarred
    isArchived isPinned insertedOn updatedOn id"""
)

CALENDAR_DAY_KEYS = _keys(
    """id date isAvailable isProcessed status price minimumStay maximumStay closedOnArrival
    closedOnDeparture note countAvailableUnits availableUnitsToSell countPendingUnits
    countBlockingReservations countBlockedUnits desiredUnitsToSell reservations"""
)

CONVERSATION_KEYS = _keys(
    """accountId listingMapId reservationId type recipientEmail recipientName recipientPicture
    hostEmail guestEmail hasUnreadMessages messageSentOn messageReceivedOn conversationMessages
    Reservation id"""
)

# The message object of GET /conversations/{id}/messages plus `channelThreadMessageId`, which the
# copy embedded in a conversation carries instead of `airbnbThreadMessageId`.
MESSAGE_KEYS = _keys(
    """accountId listingMapId reservationId conversationId communicationId airbnbThreadMessageId
    channelThreadMessageId body communicationType status isIncoming isSeen sentUsingHostaway hash
    listingTimeZoneName communicationEvent communicationTimeDelta
    communicationApplyListingTimeZone communicationAlwaysTrigger date sentChannelDate attachments
    insertedOn updatedOn id"""
)

REVIEW_KEYS = _keys(
    """id accountId listingMapId reservationId autoReviewId timeDelta scheduledDateTime channelId
    type status rating externalReviewId externalReservationId publicReview privateFeedback
    revieweeResponse isRevieweeRecommended isCancelled autoReviewTemplateId reviewCategory
    departureDate arrivalDate listingName guestName"""
)

TASK_KEYS = _keys(
    """id listingMapId channelId reservationId autoTaskId assigneeUserId canBePickedByGroupId
    supervisorUserId createdByUserId isUpdatedManually checklistTemplateId reservationUnitId title
    description canStartFrom canStartFromListingTime canStartFromEvent canStartFromEventDelta
    shouldEndBy shouldEndByListingTime shouldEndByEvent shouldEndByEventDelta status
    resolutionNote feedbackScore feedbackNote startedAt confirmedAt completedAt priority cost
    costCurrency costDescription color expense rank checklistItems customFieldValue
    categoriesMap"""
)

EXPENSE_KEYS = _keys(
    """id accountId ownerStatementId listingMapId reservationId expenseDate concept type amount
    isDeleted ownerUserId insertedOn updatedOn ownerStatementIds categories categoriesNames
    attachments listingName guestName ownerStatementNames ownerStatementExpenseId"""
)

FINANCE_FIELD_KEYS = _keys(
    """id units listingFeeSettingId type name title alias value isIncludedInTotalPrice
    isOverriddenByUser isMandatory isQuantitySelectable isDeleted total"""
)

PRICE_COMPONENT_KEYS = _keys(
    """id listingFeeSettingId type name title alias quantity value total isIncludedInTotalPrice
    isOverriddenByUser isQuantitySelectable isMandatory isDeleted"""
)


# The official user object (GET /users): identity, contact, and 0/1 permission flags.
USER_KEYS = _keys(
    """id accountId userGroupId userGroupName email icalKey passwordUpdatedOn verificationCode
    secondEmail firstName lastName title country city phone emergencyPhone preferredContactMethod
    noteBeforeContact address postalCode profilePictureUrl timezone createListing readListing
    updateListing deleteListing createReservation readReservation updateReservation
    deleteReservation readCalendar updateCalendar readBookingEngine updateBookingEngine
    readRevenueManagement readChannelManager updateChannelManager createTask readTask updateTask
    deleteTask createAutomation readAutomation updateAutomation deleteAutomation readMessage
    updateMessage updateIntegration createGuestInvoicing readGuestInvoicing updateGuestInvoicing
    deleteGuestInvoicing receiveReservationNotificationEmail isDisabledByHostaway
    isDisabledByAccount hasAccessToNewListings createReview readReview updateReview deleteReview
    createOwnerStatement readOwnerStatement updateOwnerStatement deleteOwnerStatement
    createGuestbook readGuestbook updateGuestbook deleteGuestbook isAdmin accessFinancialData
    accessContactData accessGuestNotes accessTagManagement readAnalytics readListingsFinancials
    readOccupancyReport lastLoginOn listingMapIds"""
)
USER_PERMISSIONS = tuple(
    key for key in USER_KEYS if key.startswith(("create", "read", "update", "delete", "access"))
)


def blank(keys: tuple[str, ...]) -> dict[str, Any]:
    return dict.fromkeys(keys)


def project(source: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """A copy of ``source`` with exactly ``keys`` (missing ones null)."""
    return {key: source.get(key) for key in keys}


def fmt_dt(moment: datetime) -> str:
    """Hostaway's zone-less datetime format."""
    return moment.isoformat(sep=" ", timespec="seconds")


def parse_dt(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def parse_day(text: str) -> date:
    return date.fromisoformat(text)
